// Scopes across the edges of a thread's or a process's life (issue 17, items 5-8): `lifecycle_workloads
// MODE`. Each mode prints the time it planted ("planted NAME NS") and what it measured, and leaves its
// snapshots in PROF_OUTPUT for scopes_lifecycle_test.cpp.
//   snapshot_inside  prof::write_snapshot() inside main's scope, after a 30 ms child
//   exit_inside      exit() inside a scope whose child took 20 ms
//   thread_at_exit   a detached thread still inside a scope (after a 20 ms spin) when main exits
//   fork_inside      fork() inside a scope that already took 50 ms; the child prints its own lifetime
//   tls_destructor   a worker whose thread_local destructor (constructed before its first scope) spins 10 ms
//   many_threads N   N short threads one after the other, each with a few scopes; prints ru_maxrss growth

#include <prof/prof.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "busy_wait.hpp"

using prof::test::busy_wait_ms;
using prof::test::monotonic_ns;
using prof::test::planted;

namespace {

int snapshot_inside() {
  {
    PROF_SCOPE("main scope");
    {
      PROF_SCOPE("child");
      busy_wait_ms(30, "child");
    }
    if (!prof::write_snapshot("inside")) return 1;
  }
  planted().print();
  return 0;
}

int exit_inside() {
  PROF_SCOPE("outer");
  {
    PROF_SCOPE("inner");
    busy_wait_ms(20, "inner");
  }
  planted().print();
  std::fflush(stdout);
  std::exit(0);
}

std::atomic<bool> g_worker_spun{false};

int thread_at_exit() {
  std::thread([] {
    PROF_SCOPE("stuck worker");
    busy_wait_ms(20, "stuck worker");
    g_worker_spun.store(true);
    for (;;)
      prof::test::spin_ms(1);
  }).detach();
  while (!g_worker_spun.load())
    std::this_thread::yield();
  planted().print();
  std::fflush(stdout);
  return 0;
}

int fork_inside() {
  pid_t pid = 0;
  long long born = 0;
  {
    PROF_SCOPE("forked scope");
    busy_wait_ms(50, "before fork");
    std::fflush(stdout);
    pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
      born = monotonic_ns();
      prof::test::spin_ms(2);
    } else {
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
      busy_wait_ms(5, "after fork");
    }
  }
  if (pid == 0) {
    // After the scope's end, with a margin: the child's scope began at the fork, a few microseconds before
    // `born` (the fork handler runs first).
    prof::test::spin_ms(1);
    std::printf("child lifetime %lld\n", monotonic_ns() - born);
    std::fflush(stdout);
    return 0;
  }
  planted().print();
  return 0;
}

struct ScopedAtThreadEnd {
  void touch() {}
  ~ScopedAtThreadEnd() {
    PROF_SCOPE("tls destructor");
    busy_wait_ms(10, "tls destructor");
  }
};

int tls_destructor() {
  std::thread([] {
    static thread_local ScopedAtThreadEnd at_end;
    at_end.touch();  // constructed before the thread's first scope, so destroyed after the hand-over's object
    PROF_SCOPE("worker body");
    busy_wait_ms(1, "worker body");
  }).join();
  planted().print();
  return 0;
}

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

void short_thread_body() {
  PROF_SCOPE("short thread");
  for (int i = 0; i < 3; ++i) {
    PROF_SCOPE("step");
  }
  { PROF_SCOPE("last step"); }
}

int many_threads(int count) {
  // A first thread maps what every later one reuses (its stack, the site table): growth is counted after it.
  std::thread(short_thread_body).join();
  long before = max_rss_kib();
  for (int i = 0; i < count; ++i)
    std::thread(short_thread_body).join();
  long after = max_rss_kib();
  std::printf("threads %d\nrss_growth_kib %ld\n", count, after - before);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::string_view mode = argv[1];
  if (mode == "snapshot_inside") return snapshot_inside();
  if (mode == "exit_inside") return exit_inside();
  if (mode == "thread_at_exit") return thread_at_exit();
  if (mode == "fork_inside") return fork_inside();
  if (mode == "tls_destructor") return tls_destructor();
  if (mode == "many_threads" && argc == 3) return many_threads(std::atoi(argv[2]));
  return 2;
}
