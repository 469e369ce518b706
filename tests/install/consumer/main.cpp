// Links the installed libprof and checks that the headers and the library agree on the version.
#include <cstdio>
#include <cstring>

#include <prof/prof.hpp>

int main() {
  if (std::strcmp(prof::version(), PROF_VERSION_STRING) != 0) {
    std::printf("version mismatch: library %s, headers %s\n", prof::version(), PROF_VERSION_STRING);
    return 1;
  }
  std::printf("libprof %s\n", prof::version());
  return 0;
}
