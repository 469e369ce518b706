// Forks children and sends each SIGTERM at once, before it may have run a single instruction of its own (the
// parent runs first after fork): the signal is then handled as the child first returns from fork, before
// fork's handlers in the child have run. Exits 0 when every child died of that SIGTERM.
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

int main() {
  int failures = 0;
  for (int i = 0; i < 4; ++i) {
    pid_t child = fork();
    if (child < 0) return 10;
    if (child == 0) {
      for (;;)
        pause();
    }
    kill(child, SIGTERM);
    int status = 0;
    if (waitpid(child, &status, 0) != child || !WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM)
      ++failures;
  }
  return failures;
}
