#include "memory/stack_room.hpp"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cerrno>
#include <cstdint>

extern "C" void* __libc_stack_end;  // ld.so: near the top of the main thread's stack

namespace prof::preload::memory::stack_room {

namespace {

// The calling thread's stack [low, high); low == 0: not read yet, high == 0: unbounded or unknown.
thread_local std::uintptr_t tl_low __attribute__((tls_model("initial-exec"))) = 0;
thread_local std::uintptr_t tl_high __attribute__((tls_model("initial-exec"))) = 0;
// The main thread's stack end (the page holding __libc_stack_end); 0 on other threads.
thread_local std::uintptr_t tl_main_end __attribute__((tls_model("initial-exec"))) = 0;

// The main thread's stack grows on demand up to RLIMIT_STACK, like a program that never made threads: no
// bound to keep. For it pthread_getattr_np would also open /proc/self/maps (a descriptor the program could
// see), so it is told apart first: it is the thread whose id is the process's and whose stack holds
// __libc_stack_end (mmap puts thread stacks at least 128 MiB below the main stack). A child forked from
// another thread has the pid as its id but still runs on that thread's stack, whose bounds glibc knows.
bool main_thread(std::uintptr_t stack_pointer) noexcept {
  if (::getpid() != static_cast<pid_t>(::syscall(SYS_gettid))) return false;
  auto end = reinterpret_cast<std::uintptr_t>(__libc_stack_end);
  return stack_pointer <= end && end - stack_pointer < (std::uintptr_t{128} << 20);
}

void read_bounds_of(std::uintptr_t stack_pointer) noexcept {
  tl_low = 1;  // read once, even when nothing is known
  tl_high = 0;
  tl_main_end = 0;
  if (main_thread(stack_pointer)) {
    tl_main_end = (reinterpret_cast<std::uintptr_t>(__libc_stack_end) | 4095) + 1;
    return;
  }
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* address = nullptr;
  std::size_t size = 0;
  if (pthread_attr_getstack(&attr, &address, &size) == 0 && address && size) {
    tl_low = reinterpret_cast<std::uintptr_t>(address);
    tl_high = tl_low + size;
  }
  pthread_attr_destroy(&attr);
}

void read_bounds(std::uintptr_t stack_pointer) noexcept {
  const int saved = errno;  // the stack cache's hits ask too, where the tracer keeps no copy (tracer.hpp)
  read_bounds_of(stack_pointer);
  errno = saved;
}

}  // namespace

std::size_t left(std::uintptr_t stack_pointer) noexcept {
  if (tl_low == 0) read_bounds(stack_pointer);
  if (stack_pointer <= tl_low || stack_pointer > tl_high) return SIZE_MAX;
  return stack_pointer - tl_low;
}

std::uintptr_t end(std::uintptr_t stack_pointer) noexcept {
  if (tl_low == 0) read_bounds(stack_pointer);
  if (tl_high != 0) return stack_pointer > tl_low && stack_pointer < tl_high ? tl_high : 0;
  if (tl_main_end != 0 && stack_pointer < tl_main_end &&
      tl_main_end - stack_pointer < (std::uintptr_t{128} << 20))
    return tl_main_end;
  return 0;
}

}  // namespace prof::preload::memory::stack_room
