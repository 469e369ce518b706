// A daemon-style program that owns its descriptors: it closes every fd from 3 up (mode "daemon"; mode "keep"
// closes none), opens an input file (fd 3) and an output file (fd 4), and copies one to the other in small
// chunks while allocating from call paths it has never taken before (so that every unwind walks new frames on
// new stack pages). Prints the fds it got, what /proc/self/fd holds at start and after the copy, and how many
// reads and writes failed; the output file must be the input, byte for byte. Mode "limit5 MODE": sets
// RLIMIT_NOFILE to 5 and execs itself in MODE, so the new image starts (shim included) under the limit.
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

static void* volatile g_sink;
static void* g_kept[256];
static int g_kept_count = 0;

// Lists the open descriptors, or says it cannot (under the limit, the directory needs a sixth one).
static void list_fds(const char* when) {
  std::string line = when;
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) {
    std::printf("%s: unavailable\n", when);
    return;
  }
  int own = dirfd(dir);
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.' || std::atoi(entry->d_name) == own) continue;
    line += ' ';
    line += entry->d_name;
  }
  closedir(dir);
  std::printf("%s\n", line.c_str());
}

// Each level is a distinct function with a page of stack: an unwind from level<N> walks N new frames, each on
// its own stack page, none of them seen by the unwinder before.
template <int N>
__attribute__((noinline)) void level(int chunk) {
  volatile char pad[4096];
  pad[chunk % sizeof pad] = static_cast<char>(chunk);
  if constexpr (N == 0) {
    void* p = std::malloc(static_cast<std::size_t>(16 + chunk % 200));
    g_sink = p;
    if (chunk % 7 == 0 && g_kept_count < 256)
      g_kept[g_kept_count++] = p;
    else
      std::free(p);
  } else {
    if (chunk % (N + 1) == 0) g_sink = std::malloc(8), std::free(g_sink);
    level<N - 1>(chunk);
  }
  asm volatile("" ::"r"(pad) : "memory");
}

template <int... N>
void allocate_from_depth(int chunk, std::integer_sequence<int, N...>) {
  const int depth = chunk % static_cast<int>(sizeof...(N));
  ((depth == N ? level<N>(chunk) : void()), ...);
}

int main(int argc, char** argv) {
  if (argc == 5 && std::strcmp(argv[1], "limit5") == 0) {
    // Only 0, 1 and 2 cross the exec: the new image starts with two descriptors to spare, both the program's.
    for (int fd = 3; fd < 1024; ++fd)
      close(fd);
    rlimit limit{5, 5};
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) return 20;
    char* args[] = {argv[0], argv[2], argv[3], argv[4], nullptr};
    execv(argv[0], args);
    return 21;
  }
  if (argc != 4) return 22;
  list_fds("at start");
  const bool daemon = std::strcmp(argv[1], "daemon") == 0;
  if (daemon)
    for (int fd = 3; fd < 1024; ++fd)
      close(fd);
  int in = open(argv[2], O_RDONLY);
  int out = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::printf("input fd %d output fd %d\n", in, out);
  std::fflush(stdout);
  if (in < 0 || out < 0) return 23;
  int failed_reads = 0, failed_writes = 0, short_writes = 0;
  char buffer[37];
  for (int chunk = 0;; ++chunk) {
    allocate_from_depth(chunk, std::make_integer_sequence<int, 24>{});
    ssize_t got = read(in, buffer, sizeof buffer);
    if (got < 0) ++failed_reads;
    if (got <= 0) break;
    allocate_from_depth(chunk * 5 + 3, std::make_integer_sequence<int, 24>{});
    ssize_t put = write(out, buffer, static_cast<std::size_t>(got));
    if (put < 0)
      ++failed_writes;
    else if (put != got)
      ++short_writes;
  }
  list_fds("after the copy");
  std::printf("failed reads %d writes %d short %d\n", failed_reads, failed_writes, short_writes);
  if (close(in) != 0 || close(out) != 0) return 24;
  for (int i = 0; i < g_kept_count; ++i)
    std::free(g_kept[i]);
  return 0;
}
