#pragma once
// libunwind frame by frame, for unwinds that must not build unw_backtrace's per-thread trace cache (256 KiB,
// 64 page faults at its first call in a thread): the tracer's one unwind of main's tail, and the first CPU
// samples of each thread, which are too few to pay for it.
#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include <cstdint>

namespace prof::preload::memory {

// The instruction pointers from `cursor`'s frame outwards, at most `room` of them; how many.
inline int take_steps(unw_cursor_t& cursor, std::uintptr_t* frames, int room) noexcept {
  int taken = 0;
  do {
    unw_word_t ip = 0;
    if (unw_get_reg(&cursor, UNW_REG_IP, &ip) != 0 || ip == 0) break;
    frames[taken++] = static_cast<std::uintptr_t>(ip);
  } while (taken < room && unw_step(&cursor) > 0);
  return taken;
}

}  // namespace prof::preload::memory
