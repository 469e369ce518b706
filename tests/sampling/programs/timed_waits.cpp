// Waits the kernel never restarts after a handler, that must end as without prof, never fail: sem_timedwait
// on a semaphore nobody posts (ETIMEDOUT), sigtimedwait for a blocked SIGUSR2 nobody sends (EAGAIN) and
// System V semtimedop on a semaphore nobody raises (EAGAIN), 20 ms each, then semop and msgrcv waiting for
// what a poster thread sends 20 ms later, 10 times, while a thread burns CPU. Prints the counts; under
// wall-clock sampling a sample would cut each wait short many times over.
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <time.h>

#include <atomic>
#include <cerrno>
#include <cstdio>

namespace {

std::atomic<bool> g_stop{false};
volatile double g_sink = 0;

void* burner(void*) {
  double x = 0;
  while (!g_stop.load(std::memory_order_relaxed))
    for (int i = 0; i < 10000; ++i)
      x = x * 1.0000001 + 1.0;
  g_sink = x;
  return nullptr;
}

int g_semaphores = -1;  // System V: 0 waited for with a timeout, never raised; 1 raised by the poster
int g_queue = -1;
constexpr int kRounds = 10;

struct Message {
  long type;
  char text[8];
};

// Each round, 20 ms after main started waiting: raises semaphore 1, then sends one message.
void* poster(void*) {
  for (int i = 0; i < kRounds; ++i) {
    timespec pause{0, 20000000};
    while (nanosleep(&pause, &pause) != 0) {
    }
    sembuf up{1, 1, 0};
    semop(g_semaphores, &up, 1);
    Message message{1, "ping"};
    msgsnd(g_queue, &message, sizeof message.text, 0);
  }
  return nullptr;
}

}  // namespace

int main() {
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &usr2, nullptr);
  pthread_t thread;
  if (pthread_create(&thread, nullptr, burner, nullptr) != 0) return 2;
  sem_t semaphore;
  sem_init(&semaphore, 0, 0);
  g_semaphores = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
  g_queue = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  if (g_semaphores < 0 || g_queue < 0) return 3;
  pthread_t post;
  if (pthread_create(&post, nullptr, poster, nullptr) != 0) return 2;
  int timeouts = 0, received = 0, failures = 0;
  for (int i = 0; i < kRounds; ++i) {
    timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 20000000;
    if (deadline.tv_nsec >= 1000000000) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1000000000;
    }
    if (sem_timedwait(&semaphore, &deadline) == -1 && errno == ETIMEDOUT)
      ++timeouts;
    else
      ++failures;
    timespec wait{0, 20000000};
    if (sigtimedwait(&usr2, nullptr, &wait) == -1 && errno == EAGAIN)
      ++timeouts;
    else
      ++failures;
    sembuf never{0, -1, 0};
    if (semtimedop(g_semaphores, &never, 1, &wait) == -1 && errno == EAGAIN)
      ++timeouts;
    else
      ++failures;
    sembuf down{1, -1, 0};
    if (semop(g_semaphores, &down, 1) == 0)
      ++received;
    else
      ++failures;
    Message message{};
    if (msgrcv(g_queue, &message, sizeof message.text, 0, 0) == sizeof message.text)
      ++received;
    else
      ++failures;
  }
  g_stop = true;
  pthread_join(thread, nullptr);
  pthread_join(post, nullptr);
  semctl(g_semaphores, 0, IPC_RMID);
  msgctl(g_queue, IPC_RMID, nullptr);
  std::printf("timeouts %d received %d failures %d\n", timeouts, received, failures);
  return failures == 0 ? 0 : 1;
}
