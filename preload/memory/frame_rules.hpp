#pragma once
// What the call-frame information (.eh_frame) says about one return address: whether the caller's frame
// computes its CFA as "stack pointer + constant" or "frame pointer (rbp) + constant" with the return address
// saved at CFA - 8, that constant, and where the caller's rbp was saved. The stack cache's walk
// (stack_cache.hpp) follows frames of both kinds from the stack pointer, rbp and words read from the stack
// alone, exactly as libunwind's own walk does; it may only replay stacks of the first kind, whose slot
// offsets depend on the frames alone.

#include <cstdint>

namespace prof::preload::memory::frame_rules {

enum class Kind : std::uint8_t {
  kUnknown,       // no FDE, an expression, a register other than rsp or rbp, a signal frame: libunwind's
  kStackPointer,  // CFA = rsp + offset, return address at CFA - 8
  kFramePointer,  // CFA = rbp + offset, return address at CFA - 8: frame-pointer builds, -O0, alloca
  kOutermost,     // the return address is undefined: the walk ends at this frame
};

// Where the caller's rbp is once this frame returns: a walk through frames of both kinds must know rbp in
// every frame, since any of them may be the next one to compute its CFA from it.
enum class SavedBase : std::uint8_t {
  kSame,  // untouched: the caller's rbp is this frame's
  kAt,    // saved at CFA + base_offset
  kLost,  // in another register or an expression: unknown from this frame outwards
};

struct Rule {
  Kind kind = Kind::kUnknown;
  SavedBase base = SavedBase::kLost;
  std::int32_t cfa_offset = 0;
  std::int32_t base_offset = 0;
};

// The rule in force at the call that returns to `return_address` (looked up at return_address - 1).
Rule at_return_address(std::uintptr_t return_address) noexcept;

}  // namespace prof::preload::memory::frame_rules
