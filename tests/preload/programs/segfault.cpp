// Dies of a real SIGSEGV (a write through a null pointer the compiler cannot see).
#include <cstdio>

int* volatile g_target = nullptr;

int main() {
  std::fputs("before\n", stdout);
  std::fflush(stdout);
  *g_target = 42;
  return 0;
}
