// A program for prof run's tests to launch: it reports what it sees and reacts to signals in ways the tests
// can check. Modes:
//   trap CODE        exits with CODE on SIGINT, SIGTERM, SIGHUP or SIGQUIT; prints "ready" once they are
//   trapped tty              prints whether stdin/stdout are terminals and whether it is in the terminal's
//   foreground
//                    group
//   count-sigint     counts SIGINTs, exits 10+count on SIGTERM; prints "ready PARENT_PID" once both are
//   trapped fence N          notes signal N, exits 42 on SIGRTMIN+5 if N came first, else 41; prints "ready"
//   stop-self CODE   prints "pid PID", stops itself with SIGSTOP, exits with CODE once continued
//   fill-stderr CODE prints "pid PID", waits for a line on stdin, fills stderr (a pipe) to the brim and exits
//                    with CODE: whoever writes to that pipe next blocks until it is read
//   segv             dies of a segmentation fault
//   stacks CODE      allocates from 2 x 3^10 distinct call stacks (a snapshot of megabytes), exits with CODE
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace {

volatile sig_atomic_t trap_exit_code = 0;
volatile sig_atomic_t sigint_count = 0;
volatile sig_atomic_t fenced_signal_came = 0;

void exit_with_trap_code(int) {
  _exit(trap_exit_code);
}

void count_sigint(int) {
  sigint_count = sigint_count + 1;
  ssize_t ignored = write(STDOUT_FILENO, "INT\n", 4);
  (void)ignored;
}

void exit_with_count(int) {
  _exit(10 + sigint_count);
}

void on_signal(int signal, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  // One handler at a time: signals pending together are then handled in the kernel's order (lowest first)
  // instead of a later handler interrupting an earlier one.
  sigfillset(&action.sa_mask);
  sigaction(signal, &action, nullptr);
}

void note_fenced_signal(int) {
  fenced_signal_came = 1;
}

void exit_at_fence(int) {
  _exit(fenced_signal_came ? 42 : 41);
}

void fill_stderr() {
  const int flags = fcntl(STDERR_FILENO, F_GETFL);
  fcntl(STDERR_FILENO, F_SETFL, flags | O_NONBLOCK);
  static const char block[4096] = {};
  // Whole blocks first (a pipe takes them only whole), then single bytes into what is left.
  for (std::size_t size : {sizeof block, std::size_t{1}}) {
    while (write(STDERR_FILENO, block, size) > 0) {
    }
  }
  // The file description is shared with the next writer: it must block there, as on any full pipe.
  fcntl(STDERR_FILENO, F_SETFL, flags);
}

void print_pid() {
  std::printf("pid %ld\n", static_cast<long>(getpid()));
  std::fflush(stdout);
}

[[noreturn]] void wait_for_signals() {
  for (;;)
    pause();
}

// Three call sites a level: each path through ten levels is a stack of its own. The barrier after each call
// keeps the compiler from merging the three calls into one.
template <int Level>
__attribute__((noinline)) void branch(int path) {
  if constexpr (Level == 0) {
    void* volatile block = std::malloc(16 + static_cast<std::size_t>(path % 7));
    std::free(block);
  } else {
    if (path % 3 == 0) {
      branch<Level - 1>(path / 3);
      asm volatile("" ::: "memory");
    } else if (path % 3 == 1) {
      branch<Level - 1>(path / 3 + 1);
      asm volatile("" ::: "memory");
    } else {
      branch<Level - 1>(path / 3 + 2);
      asm volatile("" ::: "memory");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "trap") == 0) {
    trap_exit_code = std::atoi(argv[2]);
    for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
      on_signal(signal, exit_with_trap_code);
    std::printf("ready\n");
    std::fflush(stdout);
    wait_for_signals();
  }
  if (argc == 2 && std::strcmp(argv[1], "tty") == 0) {
    const bool foreground = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
    std::printf("stdin_tty=%d stdout_tty=%d foreground=%d\n", isatty(STDIN_FILENO), isatty(STDOUT_FILENO),
                foreground ? 1 : 0);
    return 0;
  }
  if (argc == 2 && std::strcmp(argv[1], "count-sigint") == 0) {
    setpgid(0, 0);
    on_signal(SIGINT, count_sigint);
    on_signal(SIGTERM, exit_with_count);
    std::printf("ready %ld\n", static_cast<long>(getppid()));
    std::fflush(stdout);
    wait_for_signals();
  }
  if (argc == 3 && std::strcmp(argv[1], "fence") == 0) {
    // Signals pending together are delivered lowest first, realtime ones after the standard ones: when prof
    // forwards N and then the fence, N is handled before the fence even if both arrive at once.
    on_signal(std::atoi(argv[2]), note_fenced_signal);
    on_signal(SIGRTMIN + 5, exit_at_fence);
    std::printf("ready\n");
    std::fflush(stdout);
    wait_for_signals();
  }
  if (argc == 3 && std::strcmp(argv[1], "stop-self") == 0) {
    print_pid();
    kill(getpid(), SIGSTOP);
    return std::atoi(argv[2]);
  }
  if (argc == 3 && std::strcmp(argv[1], "fill-stderr") == 0) {
    print_pid();
    char line[16];
    if (read(STDIN_FILENO, line, sizeof line) <= 0) return 3;
    fill_stderr();
    return std::atoi(argv[2]);
  }
  if (argc == 2 && std::strcmp(argv[1], "segv") == 0) {
    volatile int* volatile nowhere = nullptr;
    *nowhere = 1;
    return 0;
  }
  if (argc == 3 && std::strcmp(argv[1], "stacks") == 0) {
    // From two call sites: 2 x 59 049 distinct stacks, a snapshot of about 8 MB.
    for (int path = 0; path < 59049; ++path)
      branch<10>(path);
    for (int path = 0; path < 59049; ++path) {
      branch<10>(path);
      asm volatile("" ::: "memory");
    }
    return std::atoi(argv[2]);
  }
  std::fprintf(stderr,
               "usage: run_probe trap CODE | tty | count-sigint | fence N | stop-self CODE | "
               "fill-stderr CODE | segv | stacks CODE\n");
  return 2;
}
