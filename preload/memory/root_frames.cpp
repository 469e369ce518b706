#include "memory/root_frames.hpp"

namespace prof::preload::memory::root_frames {

namespace detail {
std::atomic<std::uintptr_t> g_root{0};
std::uintptr_t g_tail[kMaxTail];
std::atomic<int> g_tail_count{0};
std::uintptr_t g_wrapper = 0;
int g_max_depth = 0;

void set_root(std::uintptr_t root) noexcept {
  g_root.store(root, std::memory_order_release);
}
}  // namespace detail

void set_max_depth(int depth) noexcept {
  detail::g_max_depth = depth;
}

void set_tail(const std::uintptr_t* frames, int count, std::uintptr_t wrapper) noexcept {
  // Once, from the main thread before main: nothing reads the tail until the count says it is there.
  if (count <= 0 || count > kMaxTail || detail::g_tail_count.load(std::memory_order_relaxed)) return;
  for (int i = 0; i < count; ++i)
    detail::g_tail[i] = frames[i];
  detail::g_wrapper = wrapper;
  detail::g_tail_count.store(count, std::memory_order_release);
}

}  // namespace prof::preload::memory::root_frames
