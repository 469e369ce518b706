#pragma once
// The MPI calls libprof_mpi wraps, and their per-process totals (the snapshot's `mpi.operations`). The hot
// path is four relaxed atomic additions on the operation's own cache line: no lock, no allocation.

#include <atomic>
#include <cstdint>

#include "mpi/operation_list.hpp"

namespace prof::mpi {

enum class Operation : int {
#define PROF_MPI_OPERATION_ID(id, name) id,
  PROF_MPI_OPERATIONS(PROF_MPI_OPERATION_ID)
#undef PROF_MPI_OPERATION_ID
      count
};

inline constexpr int kOperationCount = static_cast<int>(Operation::count);

// The call's name: the scope's name in `scopes` and the `name` in `mpi.operations`.
inline constexpr const char* kOperationNames[kOperationCount] = {
#define PROF_MPI_OPERATION_NAME(id, name) name,
    PROF_MPI_OPERATIONS(PROF_MPI_OPERATION_NAME)
#undef PROF_MPI_OPERATION_NAME
};

struct alignas(64) OperationTotals {
  std::atomic<std::uint64_t> calls{0};
  std::atomic<std::uint64_t> bytes_sent{0};
  std::atomic<std::uint64_t> bytes_received{0};
  std::atomic<std::uint64_t> ticks{0};  // libprof's clock (TSC cycles or nanoseconds)
};

extern OperationTotals g_operation_totals[kOperationCount];

inline void add_call(Operation operation, std::uint64_t ticks, std::uint64_t sent,
                     std::uint64_t received) noexcept {
  OperationTotals& totals = g_operation_totals[static_cast<int>(operation)];
  totals.calls.fetch_add(1, std::memory_order_relaxed);
  totals.ticks.fetch_add(ticks, std::memory_order_relaxed);
  if (sent != 0) totals.bytes_sent.fetch_add(sent, std::memory_order_relaxed);
  if (received != 0) totals.bytes_received.fetch_add(received, std::memory_order_relaxed);
}

// A fork child is a process of its own: it starts from zero (its parent's calls are in the parent's
// snapshot).
void reset_operation_totals() noexcept;

}  // namespace prof::mpi
