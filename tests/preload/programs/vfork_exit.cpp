// A vfork child that calls _exit(9) shares the parent's memory: it must not write a snapshot, nor change the
// exit code the parent's snapshot reports (the parent exits 4).
#include <sys/wait.h>
#include <unistd.h>

int main() {
  pid_t child = vfork();
  if (child == 0) _exit(9);
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 9 ? 4 : 1;
}
