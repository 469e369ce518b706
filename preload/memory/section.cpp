#include "memory/section.hpp"

#include <cstdint>
#include <cstring>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/snapshot_writer.hpp"
#include "memory/free_queue.hpp"
#include "memory/heap_sampler.hpp"
#include "memory/modules.hpp"
#include "memory/pages.hpp"
#include "memory/root_frames.hpp"
#include "memory/site_batches.hpp"
#include "memory/sites.hpp"
#include "memory/timeline.hpp"
#include "memory/tracer.hpp"
#include "memory/unloaded_modules.hpp"

namespace prof::preload::memory::section {

namespace {

// What one snapshot shows, prepared by the "modules" writer and used by the three after it. The frame table
// lives in pages mapped for this write (the writer runs at exit and in signal handlers: no malloc).
struct View {
  modules::Module modules[modules::kMaxModules];
  int module_count = 0;
  int loaded_count = 0;  // the unloaded modules follow, in unloaded_modules' order (tagged addresses)
  std::uint32_t site_count = 0;
  // Distinct return addresses in order of first appearance (room for every frame, touched only as far as
  // used), and an address -> index hash table sized by the distinct addresses, not the frames: a table for
  // every frame of python3's deep stacks was 128 MB, and each distinct address faulted in a page of its own.
  std::uintptr_t* addresses = nullptr;
  std::uint64_t address_count = 0;
  std::size_t address_bytes = 0;
  struct Slot {
    std::uintptr_t address;
    std::uint64_t index;
  }* slots = nullptr;
  std::uint64_t slot_capacity = 0;
  // Other threads' batches of site changes not handed over yet (site_batches.hpp), per site.
  sites::Changes* batched = nullptr;
  std::size_t batched_bytes = 0;
};

View g_view;
StackSource g_source{};
std::uint32_t g_source_count = 0;
timeline::Point g_points[timeline::kMaxPoints];

std::uint64_t slot_of(std::uintptr_t address) noexcept {
  std::uint64_t h = static_cast<std::uint64_t>(address) * 0x9E3779B97F4A7C15ull;
  std::uint64_t mask = g_view.slot_capacity - 1;
  std::uint64_t at = (h >> 20) & mask;
  while (g_view.slots[at].address && g_view.slots[at].address != address)
    at = (at + 1) & mask;
  return at;
}

void unmap_slots() noexcept {
  if (g_view.slots) pages::unmap(g_view.slots, sizeof(View::Slot) * g_view.slot_capacity);
  g_view.slots = nullptr;
  g_view.slot_capacity = 0;
}

void release_view() noexcept {
  if (g_view.batched) pages::unmap(g_view.batched, g_view.batched_bytes);
  g_view.batched = nullptr;
  if (g_view.addresses) pages::unmap(g_view.addresses, g_view.address_bytes);
  g_view.addresses = nullptr;
  g_view.address_bytes = 0;
  g_view.address_count = 0;
  unmap_slots();
}

// A table of `capacity` slots (a power of two) holding the addresses seen so far; false when refused.
bool map_slots(std::uint64_t capacity) noexcept {
  auto* slots = static_cast<View::Slot*>(pages::map(sizeof(View::Slot) * capacity));
  if (!slots) return false;
  unmap_slots();
  g_view.slots = slots;
  g_view.slot_capacity = capacity;
  for (std::uint64_t i = 0; i < g_view.address_count; ++i)
    g_view.slots[slot_of(g_view.addresses[i])] = View::Slot{g_view.addresses[i], i};
  return true;
}

// The frames of the stack handled last, counted from its outermost, with their indexes. Sites come in the
// order they were first met, and a site shares most of its outer frames with the one before: a frame found
// here skips the hash table (117 649 distinct stacks: 1.3 M frames, 2 M probes at each snapshot).
struct Neighbour {
  std::uintptr_t address;
  std::uint64_t index;
};
constexpr std::uint32_t kNeighbours = 256;
constexpr std::uintptr_t kNoAddress = ~std::uintptr_t{0};
Neighbour g_neighbours[kNeighbours];

void forget_neighbours() noexcept {
  for (Neighbour& n : g_neighbours)
    n.address = kNoAddress;
}

// Gives `address` its index in the frame table; false when the table could not grow.
bool add_address(std::uintptr_t address) noexcept {
  std::uint64_t at = slot_of(address);
  if (g_view.slots[at].address) return true;
  if (2 * (g_view.address_count + 1) > g_view.slot_capacity) {
    if (!map_slots(2 * g_view.slot_capacity)) return false;
    at = slot_of(address);
  }
  g_view.slots[at] = View::Slot{address, g_view.address_count};
  g_view.addresses[g_view.address_count++] = address;
  return true;
}

bool add_stack(const std::uintptr_t* stack, std::uint32_t depth) noexcept {
  for (std::uint32_t f = 0; f < depth; ++f) {
    const std::uint32_t from_outermost = depth - 1 - f;
    if (from_outermost < kNeighbours) {
      if (g_neighbours[from_outermost].address == stack[f]) continue;
      g_neighbours[from_outermost].address = stack[f];
    }
    if (!add_address(stack[f])) return false;
  }
  return true;
}

// A site's stack as written: its frames, then, for a stack that ends at main's return address, the frames
// under it (root_frames.hpp), joined in g_joined. The snapshot's stacks are whole, however they were kept.
std::uintptr_t g_joined[sites::kMaxDepth + root_frames::kMaxTail];

const std::uintptr_t* whole_stack(const sites::Site& s, std::uint32_t& depth) noexcept {
  const std::uintptr_t* frames = sites::frames(s);
  depth = s.depth;
  const std::uintptr_t* tail = nullptr;
  const int extra = root_frames::tail_of(frames, static_cast<int>(depth), tail);
  if (extra == 0) return frames;
  std::memcpy(g_joined, frames, sizeof(std::uintptr_t) * depth);
  std::memcpy(g_joined + depth, tail, sizeof(std::uintptr_t) * static_cast<std::uint32_t>(extra));
  depth += static_cast<std::uint32_t>(extra);
  return g_joined;
}

void prepare_view() noexcept {
  free_queue::count_all();
  sites::settle();
  site_batches::flush_current_thread();
  release_view();
  g_view.module_count = modules::collect(g_view.modules);
  g_view.loaded_count = g_view.module_count;
  // After the loaded ones, so an address in a range reused by a later dlopen resolves to the module there
  // now.
  g_view.module_count += unloaded_modules::append(g_view.modules + g_view.module_count,
                                                  modules::kMaxModules - g_view.module_count);
  g_view.site_count = sites::count();
  if (site_batches::pending()) {
    g_view.batched_bytes = sizeof(sites::Changes) * (g_view.site_count ? g_view.site_count : 1);
    g_view.batched = static_cast<sites::Changes*>(pages::map(g_view.batched_bytes));
    if (g_view.batched) site_batches::gather(g_view.batched, g_view.site_count);
  }
  std::uint64_t frames = root_frames::kMaxTail;  // the frames under main: the same for every stack
  for (std::uint32_t i = 0; i < g_view.site_count; ++i)
    frames += sites::site(i).depth;
  g_source_count = g_source.prepare ? g_source.prepare(g_view.site_count) : 0;
  for (std::uint32_t i = 0, depth = 0; i < g_source_count; ++i, frames += depth)
    g_source.frames(i, depth);
  g_view.address_bytes = sizeof(std::uintptr_t) * (frames ? frames : 1);
  g_view.addresses = static_cast<std::uintptr_t*>(pages::map(g_view.address_bytes));
  bool complete = g_view.addresses && map_slots(1024);
  forget_neighbours();
  for (std::uint32_t i = 0, depth = 0; complete && i < g_view.site_count; ++i) {
    const std::uintptr_t* stack = whole_stack(sites::site(i), depth);
    complete = add_stack(stack, depth);
  }
  for (std::uint32_t i = 0, depth = 0; complete && i < g_source_count; ++i) {
    const std::uintptr_t* stack = g_source.frames(i, depth);
    complete = add_stack(stack, depth);
  }
  if (!complete) {
    release_view();
    g_view.site_count = 0;  // no room to deduplicate: write empty tables rather than nothing valid
    if (g_source.prepare) g_source.prepare(0);
    g_source_count = 0;
  }
}

void write_hex(core::JsonWriter& out, const unsigned char* bytes, int size) noexcept {
  char text[2 * modules::kMaxBuildId];
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int i = 0; i < size; ++i) {
    text[2 * i] = kDigits[bytes[i] >> 4];
    text[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  out.value(std::string_view(text, static_cast<std::size_t>(2 * size)));
}

void write_modules(core::JsonWriter& out, void*) noexcept {
  prepare_view();
  out.begin_array();
  for (int i = 0; i < g_view.module_count; ++i) {
    const modules::Module& m = g_view.modules[i];
    out.begin_object();
    out.field("path", m.path);
    out.key("build_id");
    write_hex(out, m.build_id, m.build_id_size);
    out.field("base", static_cast<std::uint64_t>(m.base));
    out.field("size", static_cast<std::uint64_t>(m.high - m.low));
    out.field("unloaded", m.unloaded);
    out.end_object();
  }
  out.end_array();
}

void write_frames(core::JsonWriter& out, void*) noexcept {
  out.begin_object();
  out.key("columns");
  out.begin_array();
  for (const char* column : {"function", "file", "line", "module", "offset"})
    out.value(column);
  out.end_array();
  out.key("rows");
  out.begin_array();
  for (std::uint64_t i = 0; i < g_view.address_count; ++i) {
    std::uintptr_t address = g_view.addresses[i];
    // A tagged address was recorded in a module closed since: the tag names it (unloaded_modules.hpp).
    int unloaded = 0;
    std::uintptr_t offset = 0;
    int module = -1;
    if (unloaded_modules::untag(address, unloaded, offset)) {
      module = g_view.loaded_count + unloaded < g_view.module_count ? g_view.loaded_count + unloaded : -1;
    } else {
      module = modules::find(g_view.modules, g_view.module_count, address);
      offset = module < 0 ? address : address - g_view.modules[module].base;
    }
    out.begin_array();
    out.value(0);
    out.value(0);
    out.value(0);
    out.value(module);
    out.value(static_cast<std::uint64_t>(offset));
    out.end_array();
  }
  out.end_array();
  out.end_object();
}

void write_stack(core::JsonWriter& out, const std::uintptr_t* stack, std::uint32_t depth) noexcept {
  out.begin_array();
  for (std::uint32_t f = 0; f < depth; ++f) {
    const std::uint32_t from_outermost = depth - 1 - f;
    if (from_outermost < kNeighbours && g_neighbours[from_outermost].address == stack[f]) {
      out.value(g_neighbours[from_outermost].index);
      continue;
    }
    const std::uint64_t index = g_view.slots[slot_of(stack[f])].index;
    if (from_outermost < kNeighbours) g_neighbours[from_outermost] = Neighbour{stack[f], index};
    out.value(index);
  }
  out.end_array();
}

void write_stacks(core::JsonWriter& out, void*) noexcept {
  forget_neighbours();
  out.begin_array();
  for (std::uint32_t i = 0, depth = 0; i < g_view.site_count; ++i) {
    const std::uintptr_t* stack = whole_stack(sites::site(i), depth);
    write_stack(out, stack, depth);
  }
  for (std::uint32_t i = 0, depth = 0; i < g_source_count; ++i) {
    const std::uintptr_t* stack = g_source.frames(i, depth);
    write_stack(out, stack, depth);
  }
  out.end_array();
}

// A site's counts: exact, or in sampled mode the estimates (bytes are estimates in the sites table itself).
struct Counts {
  std::uint64_t allocations, live_blocks, temporary, samples;
};

// A site's counters with the other threads' batches for it. The live ones read as zero while one thread's
// batched frees are in before another's batched allocations.
sites::Changes totals_of(std::uint32_t index, const sites::Site& s) noexcept {
  sites::Changes t{__atomic_load_n(&s.allocations, __ATOMIC_RELAXED),
                   __atomic_load_n(&s.allocated_bytes, __ATOMIC_RELAXED),
                   __atomic_load_n(&s.live_blocks, __ATOMIC_RELAXED),
                   __atomic_load_n(&s.live_bytes, __ATOMIC_RELAXED),
                   __atomic_load_n(&s.temporary, __ATOMIC_RELAXED)};
  if (g_view.batched && index < g_view.site_count) {
    const sites::Changes& b = g_view.batched[index];
    t.allocations += b.allocations;
    t.allocated_bytes += b.allocated_bytes;
    t.live_blocks += b.live_blocks;
    t.live_bytes += b.live_bytes;
    t.temporary += b.temporary;
  }
  t.live_blocks = sites::not_below_zero(t.live_blocks);
  t.live_bytes = sites::not_below_zero(t.live_bytes);
  return t;
}

Counts counts_of(std::uint32_t index, const sites::Site& s) noexcept {
  const sites::Changes t = totals_of(index, s);
  Counts exact{t.allocations, t.live_blocks, t.temporary, 0};
  if (!heap_sampler::on()) return exact;
  heap_sampler::Estimates e = heap_sampler::estimates(index);
  return Counts{e.allocations, e.live_allocations, e.temporary_allocations, exact.allocations};
}

void write_mode(core::JsonWriter& out) noexcept {
  out.field("mode", heap_sampler::on() ? "sampled" : "exact");
  if (heap_sampler::on()) out.field("sample_interval_bytes", heap_sampler::interval());
}

double seconds_since_start(std::uint64_t ticks) noexcept {
  std::uint64_t start = timeline::start_ticks();
  if (ticks <= start) return 0.0;
  return static_cast<double>(ticks - start) / core::clock::ticks_per_second();
}

void write_summary(core::JsonWriter& out) noexcept {
  std::uint64_t allocations = 0, bytes = 0, leaked = 0, leaked_bytes = 0, temporary = 0, samples = 0;
  for (std::uint32_t i = 0; i < g_view.site_count; ++i) {
    const sites::Site& s = sites::site(i);
    Counts counts = counts_of(i, s);
    allocations += counts.allocations;
    const sites::Changes t = totals_of(i, s);
    bytes += t.allocated_bytes;
    leaked += counts.live_blocks;
    leaked_bytes += t.live_bytes;
    temporary += counts.temporary;
    samples += counts.samples;
  }
  out.key("summary");
  out.begin_object();
  out.field("allocations", allocations);
  out.field("allocated_bytes", bytes);
  out.field("peak_bytes", sites::peak_bytes());
  out.field("peak_wall_seconds", sites::peak_bytes() ? seconds_since_start(sites::peak_ticks()) : 0.0);
  // The shim's own runtime pools are live but no leak of the program's: shown apart (tracer.hpp).
  RuntimePool pools = runtime_pools();
  out.field("leaked_allocations", leaked - (pools.blocks < leaked ? pools.blocks : leaked));
  out.field("leaked_bytes", leaked_bytes - (pools.bytes < leaked_bytes ? pools.bytes : leaked_bytes));
  out.field("runtime_pool_allocations", pools.blocks);
  out.field("runtime_pool_bytes", pools.bytes);
  out.field("temporary_allocations", temporary);
  out.field("tracer_bytes", pages::tracer_bytes());
  if (heap_sampler::on()) out.field("samples", samples);
  out.end_object();
}

void write_sites(core::JsonWriter& out) noexcept {
  out.key("sites");
  out.begin_object();
  out.key("columns");
  out.begin_array();
  for (const char* column : {"stack", "allocations", "allocated_bytes", "peak_bytes", "leaked_allocations",
                             "leaked_bytes", "temporary_allocations"})
    out.value(column);
  if (heap_sampler::on()) out.value("samples");
  out.end_array();
  out.key("rows");
  out.begin_array();
  for (std::uint32_t i = 0; i < g_view.site_count; ++i) {
    const sites::Site& s = sites::site(i);
    out.begin_array();
    Counts counts = counts_of(i, s);
    const sites::Changes t = totals_of(i, s);
    out.value(static_cast<std::uint64_t>(i));
    out.value(counts.allocations);
    out.value(t.allocated_bytes);
    out.value(sites::bytes_at_peak(s));
    std::uint64_t live_blocks = counts.live_blocks;
    std::uint64_t live_bytes = t.live_bytes;
    RuntimePool pools = runtime_pools(i);
    out.value(live_blocks - (pools.blocks < live_blocks ? pools.blocks : live_blocks));
    out.value(live_bytes - (pools.bytes < live_bytes ? pools.bytes : live_bytes));
    out.value(counts.temporary);
    if (heap_sampler::on()) out.value(counts.samples);
    out.end_array();
  }
  out.end_array();
  out.end_object();
}

void write_timeline(core::JsonWriter& out) noexcept {
  int count = timeline::copy(g_points);
  // The last point is now, so even a short run has its final live heap on the chart.
  if (count == timeline::kMaxPoints) --count;
  g_points[count++] = timeline::Point{core::clock::now_ticks(), sites::live_bytes()};
  out.key("timeline");
  out.begin_object();
  out.key("columns");
  out.begin_array();
  out.value("wall_seconds");
  out.value("live_bytes");
  out.end_array();
  out.key("rows");
  out.begin_array();
  for (int i = 0; i < count; ++i) {
    out.begin_array();
    out.value(seconds_since_start(g_points[i].ticks));
    out.value(g_points[i].live_bytes);
    out.end_array();
  }
  out.end_array();
  out.end_object();
}

void write_memory(core::JsonWriter& out, void*) noexcept {
  out.begin_object();
  write_mode(out);
  write_summary(out);
  write_sites(out);
  write_timeline(out);
  out.end_object();
  release_view();
}

}  // namespace

void set_stack_source(StackSource source) noexcept {
  g_source = source;
}

void register_writers() noexcept {
  core::register_section("modules", write_modules, nullptr);
  core::register_section("frames", write_frames, nullptr);
  core::register_section("stacks", write_stacks, nullptr);
  core::register_section("memory", write_memory, nullptr);
}

}  // namespace prof::preload::memory::section
