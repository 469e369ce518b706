// Linked with an unsanitized libprof and run under the preload shim: one process, one snapshot. Exits with 3
// so the test can see the shim's exit code next to libprof's scopes; `on-demand` adds one on-demand snapshot.

#include <prof/prof.hpp>

#include <cstring>

#include "busy_wait.hpp"

namespace app {
void phase() {
  PROF_FUNCTION();
  prof::test::busy_wait_ms(2, "app::phase");
}
}  // namespace app

int main(int argc, char** argv) {
  PROF_FUNCTION();
  app::phase();
  if (argc > 1 && std::strcmp(argv[1], "on-demand") == 0) prof::write_snapshot("phase one");
  app::phase();
  prof::test::planted().print();
  return 3;
}
