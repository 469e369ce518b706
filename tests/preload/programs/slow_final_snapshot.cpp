// Leaves 4000 blocks from 4000 distinct call sites, so that its final snapshot takes several 64 KiB writes,
// starts a thread that only waits, and returns from main: the final snapshot is written on the main thread.
// Run with slow_snapshot_writes preloaded, the SIGTERM it sends lands on the waiting thread.
#include <pthread.h>
#include <unistd.h>
#include <cstdlib>
#include <utility>

namespace {

void* volatile g_kept[4000];

template <int Site>
__attribute__((noinline)) void leave_one() {
  g_kept[Site] = std::malloc(16 + Site % 64);
}

// An array, not a fold expression: clang caps a fold's nesting at 256.
template <int... Sites>
void leave_all(std::integer_sequence<int, Sites...>) {
  static void (*const leaves[])() = {&leave_one<Sites>...};
  for (auto leave : leaves)
    leave();
}

void* wait_forever(void*) {
  for (;;)
    ::pause();
}

}  // namespace

int main() {
  leave_all(std::make_integer_sequence<int, 4000>());
  pthread_t waiter;
  if (pthread_create(&waiter, nullptr, wait_forever, nullptr) != 0) return 8;
  return 0;
}
