// Links libprof::mpi as a user would (target_link_libraries(app PRIVATE libprof::mpi MPI::MPI_C)) and runs
// under plain mpirun: libprof itself writes the snapshot, with the `mpi` section and the rank from MPI_Init.
#include <mpi.h>

#include <vector>

#include <prof/prof.hpp>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  std::vector<long> values(64, rank + 1), sums(64);
  {
    PROF_SCOPE("reduce step");
    MPI_Allreduce(values.data(), sums.data(), 64, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  }
  MPI_Finalize();
  return sums[0] == 3 ? 0 : 1;  // 2 ranks: 1 + 2
}
