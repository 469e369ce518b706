// A thread with the smallest stack POSIX allows (PTHREAD_STACK_MIN) raises SIGTERM on itself, as a signal
// sent to the process lands on whichever thread has it unblocked: the process must die of SIGTERM (exit 143
// from a shell), whatever the signal handlers that run on that thread's stack need.
#include <pthread.h>
#include <signal.h>
#include <cstdio>
#include <cstdlib>

namespace {
void* raise_term(void*) {
  raise(SIGTERM);
  return nullptr;
}
}  // namespace

// argv[1]: the stack size in bytes (default PTHREAD_STACK_MIN).
int main(int argc, char** argv) {
  std::size_t size = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : PTHREAD_STACK_MIN;
  std::printf("before\n");
  std::fflush(stdout);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size);
  pthread_t thread;
  if (int rc = pthread_create(&thread, &attr, raise_term, nullptr)) {
    std::printf("pthread_create: %d\n", rc);
    return 2;
  }
  pthread_join(thread, nullptr);
  std::printf("survived SIGTERM\n");
  return 3;
}
