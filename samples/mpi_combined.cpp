// The tutorial's "all three combined" example in C++: MPI ranks, each with a pool of forked workers (fork,
// not threads, like Python's multiprocessing), each worker doing vectorised work. Rank 0 fills the input and
// broadcasts it; each rank splits its slice between its workers, which sum the square roots with eight
// independent partial sums (a loop the compiler can vectorise); the ranks' sums are gathered on rank 0,
// checked against a plain loop, and the verdict reaches every rank. Under `prof run` every rank and every
// forked worker leaves its own snapshot (the workers' names carry their rank too).
//
//   mpirun -np 4 prof run -o out -- mpi_combined [WORKERS_PER_RANK] [ELEMENTS_PER_RANK]
#include <mpi.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <prof/prof.hpp>

namespace {

// Eight named partial sums: each a dependency chain of its own, so the additions can run side by side.
double lane_sum_of_roots(const double* v, long n) {
  PROF_FUNCTION();
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 += std::sqrt(v[i]);
    s1 += std::sqrt(v[i + 1]);
    s2 += std::sqrt(v[i + 2]);
    s3 += std::sqrt(v[i + 3]);
    s4 += std::sqrt(v[i + 4]);
    s5 += std::sqrt(v[i + 5]);
    s6 += std::sqrt(v[i + 6]);
    s7 += std::sqrt(v[i + 7]);
  }
  double sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  for (; i < n; ++i)
    sum += std::sqrt(v[i]);
  return sum;
}

struct Worker {
  pid_t pid;
  int result_fd;
};

// A forked worker sums its chunk and writes the result to the pipe. It never calls MPI (a fork child of an
// MPI process must not) and leaves with _exit: the MPI library's exit handlers belong to the parent.
Worker start_worker(const double* chunk, long length) {
  int fds[2];
  if (pipe(fds) != 0) std::perror("pipe"), std::exit(1);
  const pid_t pid = fork();
  if (pid < 0) std::perror("fork"), std::exit(1);
  if (pid == 0) {
    close(fds[0]);
    double sum = 0;
    {
      PROF_SCOPE("worker");
      sum = lane_sum_of_roots(chunk, length);
    }
    _exit(write(fds[1], &sum, sizeof sum) == sizeof sum ? 0 : 1);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

// The rank's slice split between `workers` forked processes; false if one of them failed.
bool sum_with_pool(const double* slice, long length, int workers, double& sum) {
  PROF_FUNCTION();
  std::vector<Worker> pool;
  const long chunk = (length + workers - 1) / workers;
  for (long first = 0; first < length; first += chunk)
    pool.push_back(start_worker(slice + first, first + chunk <= length ? chunk : length - first));
  bool ok = true;
  sum = 0;
  for (const Worker& w : pool) {
    double part = 0;
    ok = ok && read(w.result_fd, &part, sizeof part) == sizeof part;
    sum += part;
    close(w.result_fd);
    int status = 0;
    waitpid(w.pid, &status, 0);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  return ok;
}

double plain_sum_of_roots(const std::vector<double>& values) {
  PROF_FUNCTION();
  double sum = 0;
  for (double v : values)
    sum += std::sqrt(v);
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int workers = argc > 1 ? std::atoi(argv[1]) : 2;
  const long per_rank = argc > 2 ? std::atol(argv[2]) : 1000000;
  if (workers < 1 || per_rank < 1) {
    if (rank == 0) std::fprintf(stderr, "usage: mpi_combined [WORKERS_PER_RANK>=1] [ELEMENTS_PER_RANK>=1]\n");
    MPI_Finalize();
    return 2;
  }
  const long total = per_rank * size;
  std::vector<double> input(static_cast<std::size_t>(total));
  if (rank == 0)
    for (long i = 0; i < total; ++i)
      input[static_cast<std::size_t>(i)] = static_cast<double>(i);
  MPI_Bcast(input.data(), static_cast<int>(total), MPI_DOUBLE, 0, MPI_COMM_WORLD);

  double rank_sum = 0;
  int ok = sum_with_pool(input.data() + rank * per_rank, per_rank, workers, rank_sum) ? 1 : 0;
  std::vector<double> sums(static_cast<std::size_t>(size));
  MPI_Gather(&rank_sum, 1, MPI_DOUBLE, sums.data(), 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  if (rank == 0) {
    double total_sum = 0;
    for (double s : sums)
      total_sum += s;
    const double expected = plain_sum_of_roots(input);
    ok = ok && std::fabs(total_sum - expected) <= 1e-9 * expected;  // only the order of the additions differs
    std::printf("%d ranks x %d workers, %ld elements: sum %.10e (%s)\n", size, workers, total, total_sum,
                ok ? "correct" : "WRONG");
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return ok ? 0 : 1;
}
