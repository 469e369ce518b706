// Built with prof_instrument from the installed package: every function a scope, without a macro.
#include <cstdio>

__attribute__((noinline)) int work(int n) {
  int sum = 0;
  for (int i = 0; i < n; ++i)
    sum += i;
  return sum;
}

int main() {
  std::printf("%d\n", work(100));
  return 0;
}
