// A program for prof run's tests to launch: it reports what it sees and reacts to signals in ways the tests
// can check. Modes:
//   trap CODE      exits with CODE on SIGINT, SIGTERM, SIGHUP or SIGQUIT; prints "ready" once they are
//   trapped tty            prints whether stdin/stdout are terminals and whether it is in the terminal's
//   foreground group count-sigint   counts SIGINTs, exits 10+count on SIGTERM; prints "ready PARENT_PID" once
//   both are trapped
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace {

volatile sig_atomic_t trap_exit_code = 0;
volatile sig_atomic_t sigint_count = 0;

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

[[noreturn]] void wait_for_signals() {
  for (;;)
    pause();
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
  std::fprintf(stderr, "usage: run_probe trap CODE | tty | count-sigint\n");
  return 2;
}
