// Built with -O2 -D_FORTIFY_SOURCE=2 (as Debian builds its packages): poll and ppoll on an array of known
// size go through glibc's __poll_chk and __ppoll_chk. Each waits 20 ms on an empty pipe and must time out
// (0), never fail: prints the counts.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>

int main() {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return 2;
  int timeouts = 0, failures = 0;
  volatile nfds_t count = 1;  // not a constant: the fortified call checks it against the array's size
  for (int i = 0; i < 25; ++i) {
    pollfd fds[1] = {{pipe_fds[0], POLLIN, 0}};
    int rc = poll(fds, count, 20);
    (rc == 0 ? timeouts : failures) += 1;
    timespec wait{0, 20000000};
    rc = ppoll(fds, count, &wait, nullptr);
    (rc == 0 ? timeouts : failures) += 1;
    if (rc < 0) std::fprintf(stderr, "ppoll: errno %d\n", errno);
  }
  std::printf("timeouts %d failures %d\n", timeouts, failures);
  return failures == 0 ? 0 : 1;
}
