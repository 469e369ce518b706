// The MPI layer's cost per call: N calls of each kind on MPI_COMM_SELF (no partner, so the MPI library's own
// work is as small as it gets and the layer's share shows). Prints "name ns_per_call" lines; run plain, with
// libprof_mpi.so preloaded and under `prof run` by bench/mpi_bench.sh.
#include <mpi.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>

namespace {

double now_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

template <typename F>
void time_calls(const char* name, long calls, F&& call) {
  for (long i = 0; i < calls / 10; ++i)  // warm-up
    call();
  const double start = now_ns();
  for (long i = 0; i < calls; ++i)
    call();
  std::printf("%s %.1f\n", name, (now_ns() - start) / static_cast<double>(calls));
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  const long calls = argc > 1 ? std::atol(argv[1]) : 1'000'000;
  int in = 1, out = 0;
  time_calls("MPI_Allreduce", calls, [&] { MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_SUM, MPI_COMM_SELF); });
  time_calls("MPI_Bcast", calls, [&] { MPI_Bcast(&in, 1, MPI_INT, 0, MPI_COMM_SELF); });
  time_calls("MPI_Barrier", calls, [&] { MPI_Barrier(MPI_COMM_SELF); });
  MPI_Finalize();
  return out == 1 ? 0 : 1;
}
