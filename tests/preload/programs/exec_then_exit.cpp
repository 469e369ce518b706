// argv[1] "fail": execv of a missing file, then exit(4). "execl": execl("/bin/true"). "execvp":
// execvp("true").
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  if (std::strcmp(argv[1], "fail") == 0) {
    char* args[] = {const_cast<char*>("missing"), nullptr};
    errno = 0;
    int rc = execv("/nonexistent/prof-missing-program", args);
    // The exec failed exactly as without the shim.
    std::exit(rc == -1 && errno == ENOENT ? 4 : 5);
  }
  if (std::strcmp(argv[1], "execl") == 0) execl("/bin/true", "true", static_cast<char*>(nullptr));
  if (std::strcmp(argv[1], "execvp") == 0) {
    char* args[] = {const_cast<char*>("true"), nullptr};
    execvp("true", args);
  }
  return 6;
}
