// Two or more MPI ranks with planted CPU work and a planted wait: rank r spends (r + 1) x 0.3 s of its CPU in
// compute_forces, then every rank meets in MPI_Barrier, so the lower ranks wait there for the last one
// (Open MPI polls while it waits: CPU time inside the MPI call), then a few MPI_Allreduce. Run under
// `mpirun -np 2 prof run` by tests/sampling/mpi_sampling_test.cpp: every rank samples, and the wait shows as
// MPI_Barrier in the samples.
#include <mpi.h>
#include <time.h>

#include <cstdio>

namespace {

volatile double g_sink = 0;

double thread_cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

extern "C" __attribute__((noinline)) void compute_forces(double seconds) {
  double end = thread_cpu_seconds() + seconds;
  double x = g_sink;
  while (thread_cpu_seconds() < end)
    for (int i = 0; i < 50000; ++i)
      x = x * 1.0000001 + 1.0;
  g_sink = x;
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  compute_forces(0.3 * (rank + 1));
  MPI_Barrier(MPI_COMM_WORLD);
  double sum = 0;
  for (int i = 0; i < 10; ++i) {
    double mine = rank + i;
    MPI_Allreduce(&mine, &sum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  }
  if (rank == 0) std::printf("ranks %d, last sum %g\n", size, sum);
  MPI_Finalize();
  return 0;
}
