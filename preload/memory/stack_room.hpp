#pragma once
// How much of the calling thread's stack is left. libunwind's walk runs on the thread's own stack and needs
// several KiB below the interposed function: on a thread made with a small stack (PTHREAD_STACK_MIN, 20 KiB)
// it would overflow it. The tracer asks before each full unwind and, when too little is left, charges the
// allocation to its caller alone (a one-frame stack): counts and bytes stay exact, only the stack is short.

#include <cstddef>
#include <cstdint>

namespace prof::preload::memory::stack_room {

// What a full unwind (the tracer's frames, libunwind's walk, a first call's lazy set-up) may take below the
// interposed function's CFA, with a wide margin: measured at under 5 KiB on x86-64.
constexpr std::size_t kUnwind = 16 << 10;

// Bytes between `stack_pointer` and the lowest usable address of the calling thread's stack; SIZE_MAX when
// the bounds are unknown, the stack grows on demand (the main thread), or `stack_pointer` is outside it (an
// alternate signal stack). The first call on a thread reads the bounds with pthread_getattr_np, which may
// allocate: call it only inside the tracer (enter()), whose allocations go untraced.
std::size_t left(std::uintptr_t stack_pointer) noexcept;

// The end of the calling thread's stack above `stack_pointer` (every address in [stack_pointer, end) is
// mapped stack), or 0 when it is not known or `stack_pointer` is not on it: the stack cache's own walk reads
// only below it. For the main thread, the end of the page holding __libc_stack_end (no frame lies above it).
// Call it only inside the tracer, like left().
std::uintptr_t end(std::uintptr_t stack_pointer) noexcept;

}  // namespace prof::preload::memory::stack_room
