// Forks 3 children that each exit with 10+i after the parent's pid is printed; the parent exits 0 after
// reaping them. Prints "parent PID" and "child PID PPID" lines for the test to match against the snapshots.
#include <sys/wait.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>

int main() {
  std::printf("parent %d\n", static_cast<int>(getpid()));
  std::fflush(stdout);
  for (int i = 0; i < 3; ++i) {
    pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) {
      std::printf("child %d %d\n", static_cast<int>(getpid()), static_cast<int>(getppid()));
      std::exit(10 + i);
    }
  }
  int failures = 0;
  for (int i = 0; i < 3; ++i) {
    int status = 0;
    if (wait(&status) < 0 || !WIFEXITED(status)) ++failures;
  }
  return failures;
}
