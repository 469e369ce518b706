// The tutorial's MPI example in C++: rank 0 fills an array, MPI_Bcast sends it to every rank, each rank works
// on its own slice, MPI_Gather brings the slices back to rank 0, which checks them and tells every rank the
// verdict. Under `prof run` every rank leaves a snapshot named after its rank, with the MPI calls as scopes
// and the bytes each one moved in the "mpi" section.
//
//   mpirun -np 4 prof run -o out -- mpi_broadcast_gather [ELEMENTS_PER_RANK]
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <prof/prof.hpp>

namespace {

// What rank 0 hands out: element i is i.
std::vector<double> make_input(long total) {
  PROF_FUNCTION();
  std::vector<double> input(static_cast<std::size_t>(total));
  for (long i = 0; i < total; ++i)
    input[static_cast<std::size_t>(i)] = static_cast<double>(i);
  return input;
}

// A rank's share of the work: the square root of every element of its slice.
std::vector<double> work_on_slice(const std::vector<double>& input, int rank, long per_rank) {
  PROF_FUNCTION();
  std::vector<double> slice(static_cast<std::size_t>(per_rank));
  for (long i = 0; i < per_rank; ++i)
    slice[static_cast<std::size_t>(i)] = std::sqrt(input[static_cast<std::size_t>(rank * per_rank + i)]);
  return slice;
}

bool matches_expected(const std::vector<double>& values, long first) {
  PROF_FUNCTION();
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] != std::sqrt(static_cast<double>(first + static_cast<long>(i)))) return false;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const long per_rank = argc > 1 ? std::atol(argv[1]) : 250000;
  if (per_rank < 1) {
    if (rank == 0) std::fprintf(stderr, "usage: mpi_broadcast_gather [ELEMENTS_PER_RANK>=1]\n");
    MPI_Finalize();
    return 2;
  }
  const long total = per_rank * size;

  std::vector<double> input =
      rank == 0 ? make_input(total) : std::vector<double>(static_cast<std::size_t>(total));
  MPI_Bcast(input.data(), static_cast<int>(total), MPI_DOUBLE, 0, MPI_COMM_WORLD);

  const std::vector<double> slice = work_on_slice(input, rank, per_rank);
  int ok = matches_expected(slice, rank * per_rank) ? 1 : 0;

  std::vector<double> gathered(rank == 0 ? static_cast<std::size_t>(total) : 0);
  MPI_Gather(slice.data(), static_cast<int>(per_rank), MPI_DOUBLE, gathered.data(),
             static_cast<int>(per_rank), MPI_DOUBLE, 0, MPI_COMM_WORLD);
  if (rank == 0) ok = ok && matches_expected(gathered, 0);
  // Every rank ends with the same verdict: its own slice, and rank 0's check of the whole.
  int all_ok = 0;
  MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (rank == 0) std::printf("%d ranks, %ld elements: %s\n", size, total, all_ok ? "correct" : "WRONG");
  MPI_Finalize();
  return all_ok ? 0 : 1;
}
