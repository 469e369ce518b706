#pragma once
// What every wrapper does around the real call: a scope named after the call (libprof's own scope machinery,
// so it nests under the program's PROF_FUNCTION scopes), and the operation's totals with the bytes it moves.

#include <cstdint>

#include <prof/detail/scope_guard.hpp>
#include <prof/detail/scope_site.hpp>

#include "mpi/call_bytes.hpp"
#include "mpi/operations.hpp"

namespace prof::mpi {

// The file of every MPI scope site: reports show "MPI_Barrier  (mpi)" rather than a line of this library.
inline constexpr const char* kScopeFile = "(mpi)";

template <Operation kOperation>
class CallRecord {
 public:
  CallRecord() noexcept : guard_(site_), start_(detail::read_clock()) {}
  ~CallRecord() { add_call(kOperation, detail::read_clock() - start_, sent_, received_); }
  CallRecord(const CallRecord&) = delete;
  CallRecord& operator=(const CallRecord&) = delete;

  void sent(std::uint64_t bytes) noexcept { sent_ += bytes; }
  void received(std::uint64_t bytes) noexcept { received_ += bytes; }
  void count(Bytes bytes) noexcept {
    sent_ += bytes.sent;
    received_ += bytes.received;
  }

 private:
  static constinit inline detail::ScopeSite site_{kOperationNames[static_cast<int>(kOperation)], kScopeFile,
                                                  0};
  detail::ScopeGuard guard_;  // first in, last out: the operation's own time excludes the scope's cost
  std::uint64_t start_;
  std::uint64_t sent_ = 0;
  std::uint64_t received_ = 0;
};

}  // namespace prof::mpi
