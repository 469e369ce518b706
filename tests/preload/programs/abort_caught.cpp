// abort() caught: a SIGABRT handler siglongjmps out, the program goes on and exits 0 (argv[1] "return": the
// handler returns instead, and abort ends the process with SIGABRT after the handler ran once).
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
sigjmp_buf g_back;
bool g_jump = true;
int g_handled = 0;
void on_abort(int) {
  ++g_handled;
  static const char kLine[] = "handler\n";
  ssize_t ignored = write(1, kLine, sizeof kLine - 1);
  (void)ignored;
  if (g_jump) siglongjmp(g_back, 1);
}
}  // namespace

int main(int argc, char** argv) {
  g_jump = !(argc > 1 && std::strcmp(argv[1], "return") == 0);
  signal(SIGABRT, on_abort);
  if (sigsetjmp(g_back, 1) == 0) {
    std::abort();
  }
  std::printf("back from abort, handler ran %d time(s)\n", g_handled);
  return 0;
}
