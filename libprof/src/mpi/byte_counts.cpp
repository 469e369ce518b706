#include "mpi/byte_counts.hpp"

#include "mpi/next_function.hpp"

namespace prof::mpi {

std::uint64_t bytes_of(int count, MPI_Datatype type) noexcept {
  if (count <= 0) return 0;
  int size = 0;
  if (PROF_MPI_NEXT(MPI_Type_size)(type, &size) != MPI_SUCCESS || size <= 0) return 0;
  return static_cast<std::uint64_t>(count) * static_cast<std::uint64_t>(size);
}

std::uint64_t bytes_of(const int* counts, int n, MPI_Datatype type) noexcept {
  if (counts == nullptr || n <= 0) return 0;
  long long total = 0;
  for (int i = 0; i < n; ++i)
    if (counts[i] > 0) total += counts[i];
  if (total == 0) return 0;
  int size = 0;
  if (PROF_MPI_NEXT(MPI_Type_size)(type, &size) != MPI_SUCCESS || size <= 0) return 0;
  return static_cast<std::uint64_t>(total) * static_cast<std::uint64_t>(size);
}

int rank_in(MPI_Comm comm) noexcept {
  int rank = -1;
  return PROF_MPI_NEXT(MPI_Comm_rank)(comm, &rank) == MPI_SUCCESS ? rank : -1;
}

int size_of(MPI_Comm comm) noexcept {
  int size = 0;
  return PROF_MPI_NEXT(MPI_Comm_size)(comm, &size) == MPI_SUCCESS ? size : 0;
}

}  // namespace prof::mpi
