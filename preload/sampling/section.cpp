#include "sampling/section.hpp"

#include <sys/types.h>

#include <cstdint>
#include <string_view>

#include "core/json_writer.hpp"
#include "core/snapshot_writer.hpp"
#include "memory/section.hpp"
#include "memory/unloaded_modules.hpp"
#include "sampling/sampler.hpp"
#include "sampling/table.hpp"
#include "sampling/threads.hpp"

namespace prof::preload::sampling::section {

namespace {

// What the shared tables hold of ours in the snapshot being written: entries [0, g_count) as stacks
// [g_first, g_first + g_count).
std::uint32_t g_first = 0;
std::uint32_t g_count = 0;

std::uint32_t prepare(std::uint32_t first_stack) noexcept {
  g_first = first_stack;
  flush_thread();  // a short process's last CPU time, carried by late expiries, goes in with the rest
  g_count = table::freeze();
  return g_count;
}

void write_samples(core::JsonWriter& out, void*) noexcept {
  out.begin_object();
  out.field("clock", wall_clock() ? "wall" : "cpu");
  out.field("hz", static_cast<std::uint64_t>(hz()));
  out.field("period_seconds", hz() ? 1.0 / hz() : 0.0);
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < g_count; ++i)
    total += table::samples(i);
  out.field("samples", total);
  out.field("dropped", table::dropped());
  out.key("stacks");
  out.begin_object();
  out.key("columns");
  out.begin_array();
  out.value("stack");
  out.value("samples");
  out.value("thread");
  out.value("waiting");
  out.end_array();
  out.key("rows");
  out.begin_array();
  for (std::uint32_t i = 0; i < g_count; ++i) {
    std::uint64_t samples = table::samples(i);
    if (!samples) continue;
    out.begin_array();
    out.value(static_cast<std::uint64_t>(g_first + i));
    out.value(samples);
    const table::Key key = table::key(i);
    out.value(static_cast<std::int64_t>(key.tid));
    out.value(key.state == table::State::waiting);
    out.end_array();
  }
  out.end_array();
  out.end_object();
  // The names of the threads sampled, by id (what the thread last called itself).
  out.key("threads");
  out.begin_object();
  out.key("columns");
  out.begin_array();
  out.value("thread");
  out.value("name");
  out.end_array();
  out.key("rows");
  out.begin_array();
  for (std::uint32_t i = 0, n = threads::count(); i < n; ++i) {
    const pid_t tid = threads::tid(i);
    if (tid <= 0) continue;
    char name[threads::kNameBytes];
    const char* from = threads::name(i);
    int length = 0;
    for (; length < threads::kNameBytes - 1 && from[length]; ++length)
      name[length] = from[length];
    out.begin_array();
    out.value(static_cast<std::int64_t>(tid));
    out.value(std::string_view(name, static_cast<std::size_t>(length)));
    out.end_array();
  }
  out.end_array();
  out.end_object();
  out.end_object();
}

// At a dlclose: sampled addresses in the closed module keep naming it (unloaded_modules.hpp).
void retag_entries() noexcept {
  std::uintptr_t low = 0, high = 0;
  memory::unloaded_modules::vanished_span(low, high);
  std::uint32_t count = table::claimed();
  for (std::uint32_t i = 0, depth = 0; i < count; ++i) {
    std::uintptr_t* frames = table::frames_to_retag(i, depth);
    for (std::uint32_t f = 0; f < depth; ++f) {
      std::uintptr_t address = __atomic_load_n(&frames[f], __ATOMIC_RELAXED);
      if (address - low >= high - low) continue;
      std::uintptr_t tagged = address;
      memory::unloaded_modules::retag(tagged);
      if (tagged != address) __atomic_store_n(&frames[f], tagged, __ATOMIC_RELAXED);
    }
  }
}

}  // namespace

void register_writer() noexcept {
  memory::section::set_stack_source({prepare, table::frames});
  memory::unloaded_modules::add_store(retag_entries);
  core::register_section("samples", write_samples, nullptr);
}

}  // namespace prof::preload::sampling::section
