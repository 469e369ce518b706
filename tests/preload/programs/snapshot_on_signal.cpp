// Asks for two snapshots with PROF_SNAPSHOT_SIGNAL's signal, each followed by a safe point, then exits 7.
// argv[1] "malloc": the safe point is an allocation; "thread": a pthread_create.
#include <pthread.h>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace {

void* idle(void*) {
  return nullptr;
}

void reach_safe_point(bool by_thread) {
  if (by_thread) {
    pthread_t thread;
    if (pthread_create(&thread, nullptr, idle, nullptr) == 0) pthread_join(thread, nullptr);
    return;
  }
  void* volatile block = std::malloc(64);
  std::free(block);
}

}  // namespace

int main(int argc, char** argv) {
  bool by_thread = argc > 1 && std::strcmp(argv[1], "thread") == 0;
  for (int i = 0; i < 2; ++i) {
    std::raise(SIGUSR2);
    reach_safe_point(by_thread);
  }
  return 7;
}
