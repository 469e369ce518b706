// The tutorial's process pool (Python's multiprocessing.Pool.map) in C++: fork a pool of workers, hand each
// a chunk of the tasks, gather the results through pipes. Under `prof run` every worker leaves its own
// snapshot, so the report shows the cost of each forked worker as measured numbers.
//
//   prof run -- worker_pool [WORKERS] [TASKS]
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <prof/prof.hpp>

namespace {

// The task of the tutorial's pool example: a square root, made heavy enough to be measurable.
double work(long task) {
  PROF_FUNCTION();
  double sum = 0;
  for (long i = 1; i <= 200000; ++i)
    sum += std::sqrt(static_cast<double>(task * i));
  return sum;
}

// A worker's whole life: its share of the tasks, and the result sent back to the parent.
bool run_worker(int index, int workers, long tasks, int result_fd) {
  PROF_FUNCTION();
  // Each worker holds its own copy of its inputs, as a forked Python worker does.
  std::vector<double> chunk;
  for (long t = index; t < tasks; t += workers)
    chunk.push_back(work(t));
  double total = 0;
  for (double r : chunk)
    total += r;
  std::printf("worker %d (pid %d, parent %d) did %zu tasks\n", index, getpid(), getppid(), chunk.size());
  std::fflush(stdout);
  return write(result_fd, &total, sizeof total) == sizeof total;
}

struct Worker {
  pid_t pid;
  int result_fd;
};

Worker start_worker(int index, int workers, long tasks) {
  int fds[2];
  if (pipe(fds) != 0) std::perror("pipe"), std::exit(1);
  pid_t pid = fork();
  if (pid < 0) std::perror("fork"), std::exit(1);
  if (pid == 0) {
    close(fds[0]);
    const bool sent = run_worker(index, workers, tasks, fds[1]);
    std::exit(sent ? 0 : 1);  // after run_worker's scope has closed, so the snapshot holds all of it
  }
  close(fds[1]);
  return {pid, fds[0]};
}

}  // namespace

int main(int argc, char** argv) {
  int workers = argc > 1 ? std::atoi(argv[1]) : 4;
  long tasks = argc > 2 ? std::atol(argv[2]) : 100;
  if (workers < 1 || tasks < 1) {
    std::fprintf(stderr, "usage: worker_pool [WORKERS>=1] [TASKS>=1]\n");
    return 2;
  }
  std::vector<Worker> pool;
  for (int i = 0; i < workers; ++i)
    pool.push_back(start_worker(i, workers, tasks));
  double total = 0;
  int failed = 0;
  PROF_SCOPE("gather results");
  for (const Worker& w : pool) {
    double part = 0;
    if (read(w.result_fd, &part, sizeof part) != sizeof part) ++failed;
    total += part;
    close(w.result_fd);
    int status = 0;
    waitpid(w.pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
  }
  std::printf("%d workers, %ld tasks: total %.6e\n", workers, tasks, total);
  return failed == 0 ? 0 : 1;
}
