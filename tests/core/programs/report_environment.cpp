// Prints PROF_FOLLOW and PROF_ROOT_PID as it sees them, then exits 0: the shim must not edit the environment.
#include <cstdio>
#include <cstdlib>

int main() {
  const char* follow = std::getenv("PROF_FOLLOW");
  std::printf("PROF_FOLLOW=%s\n", follow ? follow : "(unset)");
  return 0;
}
