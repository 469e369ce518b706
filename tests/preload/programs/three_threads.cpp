// Runs 3 std::threads: the snapshot must say threads_seen 4.
#include <atomic>
#include <thread>

int main() {
  std::atomic<int> ran{0};
  std::thread a([&] { ++ran; }), b([&] { ++ran; }), c([&] { ++ran; });
  a.join();
  b.join();
  c.join();
  return ran == 3 ? 0 : 1;
}
