// Installs a SIGTERM handler through one of libc's other entry points (argv[1]: sigset, bsd_signal,
// sysv_signal, ssignal, siginterrupt), checks that sigaction reports it, resets SIGTERM with signal(SIG_DFL)
// and raises SIGTERM: the process must die of it, the handler must not run. Each step prints one line.
// sigset and siginterrupt are deprecated: old programs still call them, which is what this one checks.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <signal.h>
#include <cstdio>
#include <cstring>

extern "C" sighandler_t bsd_signal(int, sighandler_t);
extern "C" sighandler_t ssignal(int, sighandler_t);

namespace {
void on_term(int) {
  static const char kLine[] = "handler ran\n";
  fwrite(kLine, 1, sizeof kLine - 1, stdout);
}
}  // namespace

int main(int argc, char** argv) {
  const char* way = argc > 1 ? argv[1] : "sigset";
  sighandler_t previous = SIG_ERR;
  if (std::strcmp(way, "sigset") == 0) previous = sigset(SIGTERM, on_term);
  if (std::strcmp(way, "bsd_signal") == 0) previous = bsd_signal(SIGTERM, on_term);
  if (std::strcmp(way, "sysv_signal") == 0) previous = sysv_signal(SIGTERM, on_term);
  if (std::strcmp(way, "ssignal") == 0) previous = ssignal(SIGTERM, on_term);
  if (std::strcmp(way, "siginterrupt") == 0) {
    // Changes the flags of the current disposition (ours under the shim): must still read as SIG_DFL.
    siginterrupt(SIGTERM, 1);
    previous = signal(SIGTERM, on_term);
  }
  std::printf("previous is SIG_DFL: %d\n", previous == SIG_DFL);
  struct sigaction now;
  std::memset(&now, 0, sizeof now);
  sigaction(SIGTERM, nullptr, &now);
  std::printf("sigaction reports the handler: %d\n", now.sa_handler == on_term);
  std::printf("signal(SIG_DFL) returns the handler: %d\n", signal(SIGTERM, SIG_DFL) == on_term);
  sigaction(SIGTERM, nullptr, &now);
  std::printf("sigaction reports SIG_DFL: %d\n", now.sa_handler == SIG_DFL);
  std::fflush(stdout);
  raise(SIGTERM);
  std::printf("survived SIGTERM\n");
  return 3;
}
