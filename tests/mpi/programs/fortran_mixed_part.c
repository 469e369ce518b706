// The C half of fortran_mixed.f90: MPI_Allreduce of 1000 doubles, `times` times, called from Fortran.
#include <mpi.h>

void c_allreduce(int times) {
  double values[1000], sums[1000];
  for (int i = 0; i < 1000; ++i)
    values[i] = 1.0;
  for (int i = 0; i < times; ++i)
    MPI_Allreduce(values, sums, 1000, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}
