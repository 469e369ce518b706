// Asks for numbered snapshots back to back (PROF_SNAPSHOT_SIGNAL's signal, then an allocation as the safe
// point), so that the main thread spends nearly all its time writing one; a second thread sends it SIGTERM
// after the first few. Dies of that SIGTERM; exits 9 if it never comes.
#include <pthread.h>
#include <atomic>
#include <csignal>
#include <cstdlib>

namespace {

std::atomic<int> g_written{0};
pthread_t g_main;

void* terminate_main(void*) {
  while (g_written.load() < 5)
    sched_yield();
  pthread_kill(g_main, SIGTERM);
  return nullptr;
}

}  // namespace

int main() {
  g_main = pthread_self();
  pthread_t killer;
  if (pthread_create(&killer, nullptr, terminate_main, nullptr) != 0) return 8;
  for (int i = 0; i < 2000; ++i) {
    std::raise(SIGUSR2);
    void* volatile block = std::malloc(64);
    std::free(block);
    g_written.fetch_add(1);
  }
  return 9;
}
