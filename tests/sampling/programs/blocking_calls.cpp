// A program that does not handle EINTR: it loops nanosleep, read on a pipe and poll while other threads burn
// CPU (so sampling signals are flying), checks every return value, and prints what it saw. Under the shim
// with a high sampling rate the output and exit code must be those of the plain run: no call may fail.
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_failures{0};
volatile double g_sink = 0;

void fail(const char* call) {
  std::fprintf(stderr, "%s failed: %s\n", call, std::strerror(errno));
  g_failures.fetch_add(1);
}

void* burner(void*) {
  double x = 0;
  while (!g_stop.load(std::memory_order_relaxed))
    for (int i = 0; i < 10000; ++i)
      x = x * 1.0000001 + 1.0;
  g_sink = x;
  return nullptr;
}

// Writes one byte to the pipe every 200 us, burning CPU between writes, so its own timer fires often too.
void* writer(void* raw) {
  int fd = *static_cast<int*>(raw);
  for (int i = 0; i < 2000; ++i) {
    double x = 0;
    for (int j = 0; j < 20000; ++j)
      x = x * 1.0000001 + 1.0;
    g_sink = x;
    char byte = static_cast<char>(i);
    if (write(fd, &byte, 1) != 1) fail("write");
    timespec pause{0, 200000};
    if (nanosleep(&pause, nullptr) != 0) fail("writer nanosleep");
  }
  return nullptr;
}

}  // namespace

int main() {
  pthread_t burners[2];
  for (auto& thread : burners)
    pthread_create(&thread, nullptr, burner, nullptr);
  int fds[2];
  if (pipe(fds) != 0) return 3;
  pthread_t writing;
  pthread_create(&writing, nullptr, writer, &fds[1]);
  long bytes = 0, sum = 0, polls = 0, sleeps = 0;
  for (int i = 0; i < 2000; ++i) {
    pollfd p{fds[0], POLLIN, 0};
    int ready = poll(&p, 1, 5000);
    if (ready != 1)
      fail("poll");
    else
      ++polls;
    char byte;
    ssize_t got = read(fds[0], &byte, 1);
    if (got != 1)
      fail("read");
    else {
      ++bytes;
      sum += static_cast<unsigned char>(byte);
    }
    if (i % 10 == 0) {
      timespec pause{0, 100000};
      if (nanosleep(&pause, nullptr) != 0)
        fail("nanosleep");
      else
        ++sleeps;
    }
  }
  pthread_join(writing, nullptr);
  g_stop = true;
  for (auto& thread : burners)
    pthread_join(thread, nullptr);
  std::printf("bytes %ld sum %ld polls %ld sleeps %ld failures %d\n", bytes, sum, polls, sleeps,
              g_failures.load());
  return g_failures.load() == 0 ? 0 : 1;
}
