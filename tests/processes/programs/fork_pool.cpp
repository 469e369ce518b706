// A fork pool with known work per worker: worker w (0..3) runs (w + 1) x 10 tasks, each a scope "task", and
// keeps (w + 1) blocks of 64 KiB until it exits. The parent waits for all four and exits 0 only if every
// worker did.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <prof/prof.hpp>

namespace {

constexpr int kWorkers = 4;
constexpr std::size_t kBlockBytes = 64 << 10;
void* volatile g_sink;

__attribute__((noinline)) void task(int i) {
  PROF_SCOPE("task");
  volatile int x = i;
  g_sink = const_cast<int*>(&x);
}

__attribute__((noinline)) void keep_blocks(int count) {
  for (int i = 0; i < count; ++i)
    g_sink = std::malloc(kBlockBytes);
}

__attribute__((noinline)) void worker(int w) {
  PROF_FUNCTION();
  for (int i = 0; i < (w + 1) * 10; ++i)
    task(i);
  keep_blocks(w + 1);
}

}  // namespace

int main() {
  pid_t workers[kWorkers];
  for (int w = 0; w < kWorkers; ++w) {
    workers[w] = fork();
    if (workers[w] < 0) return 1;
    if (workers[w] == 0) {
      worker(w);
      std::exit(0);  // outside worker()'s scope: a scope still open at exit is not counted
    }
  }
  int failed = 0;
  for (pid_t pid : workers) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
  }
  std::printf("workers %d failed %d\n", kWorkers, failed);
  return failed == 0 ? 0 : 1;
}
