// Built with prof_instrument (-finstrument-functions): not one macro but the PROF_SCOPE block that checks the
// two kinds of scope nest in one tree. Each function is noinline so gcc and clang record the same calls
// (clang instruments after inlining). tests/instrument/instrument_test.cpp checks the tree it leaves.
//
//   instrumented_program     plain calls, recursion, a PROF_SCOPE, an exception, a longjmp, recording
//                            switched off and on, a thread
#include <pthread.h>

#include <csetjmp>

#include <prof/prof.hpp>

#define NOINLINE __attribute__((noinline))

namespace {

volatile int g_sink = 0;
std::jmp_buf g_jump;

NOINLINE void leaf(int i) {
  g_sink = g_sink + i;
}

NOINLINE void middle(int n) {
  for (int i = 0; i < n; ++i)
    leaf(i);
}

NOINLINE int recursive(int depth) {
  if (depth == 0) return 0;
  int below = recursive(depth - 1);
  g_sink = g_sink + below;  // after the call: no tail call a compiler could turn into a loop
  return below + 1;
}

NOINLINE void with_scope() {
  PROF_SCOPE("block");
  middle(2);
}

NOINLINE void thrower() {
  if (g_sink >= 0) throw 1;
}

NOINLINE void catcher() {
  try {
    thrower();
  } catch (int) {
    g_sink = g_sink + 1;
  }
}

NOINLINE void jump_deeper() {
  std::longjmp(g_jump, 1);
}

NOINLINE void jump_inner() {
  jump_deeper();
}

NOINLINE void jump_outer() {
  if (setjmp(g_jump) == 0) jump_inner();
}

NOINLINE void marker() {
  g_sink = g_sink + 1;
}

// Started by pthread_create itself: std::thread's own templates would be the thread's first functions under
// clang, which instruments every function it did not inline, the standard library's too.
NOINLINE void* thread_body(void*) {
  middle(5);
  middle(5);
  return nullptr;
}

}  // namespace

int main() {
  for (int i = 0; i < 10; ++i)
    middle(3);
  recursive(5);
  for (int i = 0; i < 4; ++i)
    with_scope();
  for (int i = 0; i < 3; ++i)
    catcher();
  marker();
  jump_outer();
  marker();
  prof::enable(false);
  middle(3);  // not recorded
  prof::enable(true);
  marker();
  pthread_t worker;
  if (pthread_create(&worker, nullptr, thread_body, nullptr) != 0) return 1;
  pthread_join(worker, nullptr);
  return 0;
}
