#include "mpi/mpi_section.hpp"

#include <cstdint>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "mpi/operations.hpp"

namespace prof::mpi {

WorldInfo g_world;

void write_mpi_section(core::JsonWriter& out, void*) noexcept {
  const double ns_per_tick = 1e9 / core::clock::ticks_per_second();
  out.begin_object();
  out.field("library", g_world.library);
  out.field("rank", g_world.rank);
  out.field("size", g_world.size);
  out.key("operations");
  out.begin_array();
  for (int i = 0; i < kOperationCount; ++i) {
    const OperationTotals& totals = g_operation_totals[i];
    const std::uint64_t calls = totals.calls.load(std::memory_order_relaxed);
    if (calls == 0) continue;  // only the operations the process called
    out.begin_object();
    out.field("name", kOperationNames[i]);
    out.field("calls", calls);
    out.field("bytes_sent", totals.bytes_sent.load(std::memory_order_relaxed));
    out.field("bytes_received", totals.bytes_received.load(std::memory_order_relaxed));
    const double ns = static_cast<double>(totals.ticks.load(std::memory_order_relaxed)) * ns_per_tick;
    out.field("total_ns", static_cast<std::uint64_t>(ns + 0.5));
    out.end_object();
  }
  out.end_array();
  out.end_object();
}

}  // namespace prof::mpi
