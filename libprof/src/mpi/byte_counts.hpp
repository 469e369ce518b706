#pragma once
// Bytes of a buffer an MPI call was given: count x MPI_Type_size of its datatype (docs/SNAPSHOT.md, `mpi`).
// Only called for buffers the standard says are significant on this rank, so a datatype the program left
// unset (a receive type on a non-root rank) is never looked at.

#include <mpi.h>

#include <cstdint>

namespace prof::mpi {

std::uint64_t bytes_of(int count, MPI_Datatype type) noexcept;
// The sum of `counts[0..n)` elements of `type`.
std::uint64_t bytes_of(const int* counts, int n, MPI_Datatype type) noexcept;

int rank_in(MPI_Comm comm) noexcept;  // -1 on error
int size_of(MPI_Comm comm) noexcept;  // 0 on error

// A send buffer that is really there (not MPI_IN_PLACE).
inline bool is_buffer(const void* buffer) noexcept {
  return buffer != MPI_IN_PLACE;
}

}  // namespace prof::mpi
