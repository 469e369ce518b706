#pragma once
// The frames under `main`: every stack of the main thread ends with the same ones (the shim's wrapper of
// main, then __libc_start_call_main, __libc_start_main and _start). A walk stops at main's return address
// into the wrapper, keeping it as the stack's last frame, and the snapshot writes the rest from here: three
// or four frames fewer to walk, hash, compare and keep for every stack, each of which ends the same way.
//
// Learnt in two steps: the frames under the wrapper by an unwind from inside it before main runs
// (tracer's learn_main_tail gives them to set_tail), then main's return address from the first whole stack
// that ends with them (learn_root). A stack counts as ending at the root only where main's return address
// is: the wrapper runs main once, so that address is on no other frame.

#include <atomic>
#include <cstdint>

namespace prof::preload::memory::root_frames {

constexpr int kMaxTail = 8;

// From the wrapper of main, before main: `frames[0..count)` are the frames under the wrapper, `wrapper`
// the wrapper's own return address of that unwind (not main's).
void set_tail(const std::uintptr_t* frames, int count, std::uintptr_t wrapper) noexcept;
// PROF_DEPTH: no stack is written longer.
void set_max_depth(int depth) noexcept;

// After a whole stack (walked to its outermost frame, not cut): learns main's return address when the stack
// ends with the tail under a frame `in_wrapper` says is the wrapper's. The stack's new depth, cut at the
// root, or `depth` when it is not rooted.
template <typename InWrapper>
int learn_root(const std::uintptr_t* frames, int depth, InWrapper in_wrapper) noexcept;

namespace detail {
extern std::atomic<std::uintptr_t> g_root;
extern std::uintptr_t g_tail[kMaxTail];
extern std::atomic<int> g_tail_count;
extern std::uintptr_t g_wrapper;
extern int g_max_depth;
void set_root(std::uintptr_t root) noexcept;
}  // namespace detail

// main's return address; 0 until known. Inline: a walk reads it once.
inline std::uintptr_t root() noexcept {
  return detail::g_root.load(std::memory_order_acquire);
}

// `depth` cut at the root frame (kept as the last), or `depth` when the stack does not pass it.
inline int cut_at_root(const std::uintptr_t* frames, int depth) noexcept {
  const std::uintptr_t at = root();
  if (!at) return depth;
  for (int i = 1; i < depth; ++i)
    if (frames[i] == at) return i + 1;
  return depth;
}

// The frames a stored stack leaves out: those under the root, when `frames[0..depth)` ends at it, as many as
// PROF_DEPTH leaves room for (the stack with its tail is cut there, as an unwind of it would be). Their
// count; `tail` points at them.
inline int tail_of(const std::uintptr_t* frames, int depth, const std::uintptr_t*& tail) noexcept {
  const std::uintptr_t at = root();
  const int room = detail::g_max_depth - depth;
  if (!at || depth < 2 || frames[depth - 1] != at || room <= 0) return 0;
  tail = detail::g_tail;
  const int count = detail::g_tail_count.load(std::memory_order_acquire);
  return count < room ? count : room;
}

template <typename InWrapper>
int learn_root(const std::uintptr_t* frames, int depth, InWrapper in_wrapper) noexcept {
  const int count = detail::g_tail_count.load(std::memory_order_acquire);
  if (root() || count == 0 || depth < count + 2) return depth;
  for (int i = 0; i < count; ++i)
    if (frames[depth - count + i] != detail::g_tail[i]) return depth;
  const std::uintptr_t candidate = frames[depth - count - 1];
  if (candidate == detail::g_wrapper || !in_wrapper(candidate)) return depth;
  detail::set_root(candidate);
  return depth - count;
}

}  // namespace prof::preload::memory::root_frames
