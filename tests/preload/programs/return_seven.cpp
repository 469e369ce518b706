// Returns 7 from main: the shim must see main's return value.
#include <cstdio>

int main() {
  std::puts("seven");
  return 7;
}
