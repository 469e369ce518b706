// A program that never calls MPI, run with libprof_mpi.so preloaded (prof run --mpi): its output and exit
// code must not change, and no MPI library may be loaded into it.
#include <cstdio>

int main() {
  std::printf("no MPI here\n");
  return 5;
}
