// A plugin with a scope of its own: stress_workloads dlopens it, calls plugin_work once and unloads it
// before exit. Its site's name and file lived in this library's memory; the snapshot must still name them.
#include <prof/prof.hpp>

extern "C" int plugin_work(int n) {
  PROF_SCOPE("plugin work");
  int sum = 0;
  for (int i = 0; i < n; ++i) {
    PROF_SCOPE("plugin inner");
    sum += i;
  }
  return sum;
}
