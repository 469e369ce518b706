#pragma once
// What the call-frame information (.eh_frame) says about one return address: whether the caller's frame
// computes its CFA as "stack pointer + constant" with the return address saved at CFA - 8, and that constant.
// The stack cache (memory_stack_cache) may only replay frames of that kind: their outer frames then follow
// from the stack pointer and words read from the stack alone, exactly as libunwind's own walk does.

#include <cstdint>

namespace prof::preload::memory::frame_rules {

enum class Kind : std::uint8_t {
  kUnknown,       // no FDE, an expression, a register other than rsp, a signal frame: never replayed
  kStackPointer,  // CFA = rsp + offset, return address at CFA - 8
  kOutermost,     // the return address is undefined: the walk ends at this frame
};

struct Rule {
  Kind kind = Kind::kUnknown;
  std::int32_t cfa_offset = 0;
};

// The rule in force at the call that returns to `return_address` (looked up at return_address - 1).
Rule at_return_address(std::uintptr_t return_address) noexcept;

}  // namespace prof::preload::memory::frame_rules
