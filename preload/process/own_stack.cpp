#include "process/own_stack.hpp"

#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>

namespace prof::preload::own_stack {

namespace {

// One call at a time (g_busy; a second caller meanwhile runs on its own stack), so the state lives in
// globals: getcontext returns twice, and nothing of the caller's frame may be relied on across it.
std::atomic_flag g_busy = ATOMIC_FLAG_INIT;
ucontext_t g_caller;
ucontext_t g_callee;
void (*g_fn)(void*) = nullptr;
void* g_argument = nullptr;
char* g_stack = nullptr;  // above the guard page

void trampoline() {
  g_fn(g_argument);
}

// True when fn ran on the private stack.
__attribute__((noinline)) bool switch_and_run() noexcept {
  if (::getcontext(&g_callee) != 0) return false;
  g_callee.uc_stack.ss_sp = g_stack;
  g_callee.uc_stack.ss_size = kSize;
  g_callee.uc_link = &g_caller;
  ::makecontext(&g_callee, trampoline, 0);
  return ::swapcontext(&g_caller, &g_callee) == 0;
}

}  // namespace

void run(void (*fn)(void*), void* argument) noexcept {
  if (g_busy.test_and_set(std::memory_order_acquire)) {
    fn(argument);
    return;
  }
  int saved = errno;
  long page_size = ::sysconf(_SC_PAGESIZE);
  unsigned long page = page_size > 0 ? static_cast<unsigned long>(page_size) : 4096;
  unsigned long total = kSize + page;
  void* base =
      ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  bool ran = false;
  if (base != MAP_FAILED && ::mprotect(base, page, PROT_NONE) == 0) {
    g_fn = fn;
    g_argument = argument;
    g_stack = static_cast<char*>(base) + page;
    errno = saved;
    ran = switch_and_run();
  }
  if (base != MAP_FAILED) ::munmap(base, total);
  errno = saved;
  g_busy.clear(std::memory_order_release);
  if (!ran) fn(argument);
}

}  // namespace prof::preload::own_stack
