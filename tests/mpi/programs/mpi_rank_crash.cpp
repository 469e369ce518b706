// A job in which one rank dies: rank 1 raises SIGSEGV right after MPI_Init, while the other ranks wait for
// it in MPI_Barrier. Open MPI installs its own SIGSEGV handler (so the shim's never runs for rank 1) and
// mpirun then kills the survivors with SIGTERM (tests/mpi/mpi_rank_crash_test.cpp).
#include <mpi.h>
#include <signal.h>
#include <stdio.h>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 1) raise(SIGSEGV);
  MPI_Barrier(MPI_COMM_WORLD);
  printf("rank %d passed the barrier\n", rank);
  MPI_Finalize();
  return 0;
}
