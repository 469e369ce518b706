// Compiled with PROF_ENABLED=0 into an object file whose symbols a test lists with nm: the macros and the
// control calls must leave no reference to the library.
#include <prof/prof.hpp>

int disabled_build_function(int n) {
  PROF_FUNCTION();
  int sum = 0;
  for (int i = 0; i < n; ++i) {
    PROF_SCOPE("loop body");
    sum += i;
  }
  prof::enable(true);
  prof::write_snapshot("never");
  prof::reset();
  return sum;
}
