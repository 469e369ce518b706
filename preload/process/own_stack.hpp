#pragma once
// Runs a function on a stack of the shim's own. The final snapshot can be written from a signal handler on
// whatever thread the signal landed on, and that thread's stack may be as small as PTHREAD_STACK_MIN (16 KiB,
// part of it in use): the writer needs more than that. sigaltstack would do it, but it is per thread and the
// program can see and replace it; a private mapping, made only when needed and unmapped after, changes
// nothing the program can observe.

namespace prof::preload::own_stack {

// Calls fn(argument) on a fresh private stack (kSize bytes, a guard page below); on the caller's stack when
// the mapping cannot be made or another call is using the private one. Async-signal-safe.
void run(void (*fn)(void*), void* argument) noexcept;

// The snapshot writer was measured to need about 10 KiB (10 216 bytes for a small program); a quarter of a
// MiB leaves room for big sections, and untouched pages of the mapping cost nothing.
inline constexpr unsigned long kSize = 256 * 1024;

}  // namespace prof::preload::own_stack
