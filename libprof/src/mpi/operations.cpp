#include "mpi/operations.hpp"

namespace prof::mpi {

OperationTotals g_operation_totals[kOperationCount];

void reset_operation_totals() noexcept {
  for (OperationTotals& totals : g_operation_totals) {
    totals.calls.store(0, std::memory_order_relaxed);
    totals.bytes_sent.store(0, std::memory_order_relaxed);
    totals.bytes_received.store(0, std::memory_order_relaxed);
    totals.ticks.store(0, std::memory_order_relaxed);
  }
}

}  // namespace prof::mpi
