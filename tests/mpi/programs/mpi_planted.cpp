// Planted costs for tests/mpi: after a first barrier that lines the ranks up, rank r sleeps r x 100 ms and
// enters a second barrier (inside the scope "imbalanced"), so its MPI_Barrier there lasts (3 - r) x 100 ms
// with 4 ranks; an MPI_Bcast of 1000 ints from rank 0 and an MPI_Gather of 250 doubles per rank to rank 0
// move known bytes; rank r mallocs (r + 1) MiB once in plant_rank_memory and keeps it to the end.
#include <mpi.h>
#include <time.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include <prof/prof.hpp>

namespace {

constexpr long kStepNs = 100'000'000;

void* volatile g_kept = nullptr;

__attribute__((noinline)) void plant_rank_memory(int rank) {
  const std::size_t bytes = static_cast<std::size_t>(rank + 1) << 20;
  void* block = std::malloc(bytes);
  std::memset(block, 1, bytes);
  g_kept = block;
}

void sleep_ns(long ns) {
  timespec wait{ns / 1'000'000'000, ns % 1'000'000'000};
  while (nanosleep(&wait, &wait) != 0) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  plant_rank_memory(rank);
  {
    PROF_SCOPE("lined up");
    MPI_Barrier(MPI_COMM_WORLD);
  }
  sleep_ns(rank * kStepNs);
  {
    PROF_SCOPE("imbalanced");
    MPI_Barrier(MPI_COMM_WORLD);
  }
  std::vector<int> numbers(1000, rank == 0 ? 7 : 0);
  MPI_Bcast(numbers.data(), 1000, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<double> mine(250, rank), all(rank == 0 ? 1000 : 0);
  MPI_Gather(mine.data(), 250, MPI_DOUBLE, all.data(), 250, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  const bool ok = numbers[999] == 7 && (rank != 0 || all[999] == 3.0);
  MPI_Finalize();
  return ok ? 0 : 1;
}
