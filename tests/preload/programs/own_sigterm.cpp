// A program that inspects and installs signal dispositions, as daemons and runtimes do. Under the shim it
// must see exactly what it sees without it: SIG_DFL before it installs anything. Prints one line per check
// and exits with the number of failed checks, then raises SIGTERM to itself and expects its own handler to
// run.
#include <csignal>
#include <cstdio>
#include <cstring>

namespace {
volatile std::sig_atomic_t g_caught = 0;
void on_term(int) {
  g_caught = 1;
}
}  // namespace

int main() {
  int failures = 0;
  auto check = [&](bool ok, const char* what) {
    std::printf("%s %s\n", ok ? "ok" : "FAIL", what);
    failures += ok ? 0 : 1;
  };
  struct sigaction old;
  std::memset(&old, 0xFF, sizeof old);
  check(sigaction(SIGTERM, nullptr, &old) == 0 && old.sa_handler == SIG_DFL, "query SIGTERM is SIG_DFL");
  check(!(old.sa_flags & SA_SIGINFO), "query SIGTERM has no SA_SIGINFO");
  std::memset(&old, 0xFF, sizeof old);
  check(sigaction(SIGSEGV, nullptr, &old) == 0 && old.sa_handler == SIG_DFL, "query SIGSEGV is SIG_DFL");
  check(signal(SIGINT, SIG_DFL) == SIG_DFL, "signal(SIGINT, SIG_DFL) returns SIG_DFL");

  struct sigaction mine;
  std::memset(&mine, 0, sizeof mine);
  mine.sa_handler = on_term;
  std::memset(&old, 0xFF, sizeof old);
  check(sigaction(SIGTERM, &mine, &old) == 0 && old.sa_handler == SIG_DFL, "install SIGTERM: old is SIG_DFL");
  struct sigaction now;
  check(sigaction(SIGTERM, nullptr, &now) == 0 && now.sa_handler == on_term, "query SIGTERM is the handler");
  check(signal(SIGUSR1, on_term) == SIG_DFL, "signal(SIGUSR1, h) returns SIG_DFL");
  check(signal(SIGUSR1, SIG_DFL) == on_term, "signal(SIGUSR1, SIG_DFL) returns h");

  std::raise(SIGTERM);
  check(g_caught == 1, "own SIGTERM handler ran");
  return failures;
}
