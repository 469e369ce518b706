// Built with MPICH's mpicc.mpich (handles are ints there, pointers in Open MPI): run under prof run with the
// MPI layer built for Open MPI, it must run as without it (tests/mpi/mpi_foreign_library_test.cpp).
#include <mpi.h>
#include <stdio.h>
int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  double v[100], s[100];
  for (int i = 0; i < 100; ++i)
    v[i] = rank + 1;
  MPI_Allreduce(v, s, 100, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
  printf("rank %d of %d: sum %g\n", rank, size, s[0]);
  MPI_Finalize();
  return s[0] == size * (size + 1) / 2 ? 0 : 1;
}
