#pragma once
// Symbolisation outside the profiled process: raw frames (module + offset) become function, source file and
// line through elfutils' libdwfl, inlined calls expanded into frames of their own (innermost first, marked
// `inlined`). The shim writes raw frames because looking up symbols inside a traced process would allocate,
// take locks and slow it down.
#include <string>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

// The rows of the functions a raw frame's code was inlined into: frames [first, first + count), innermost
// first, appended after the frames table.
struct OuterFrames {
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

struct SymbolisationResult {
  bool changed = false;                 // some frame got a name: the snapshot is now symbolised
  std::vector<std::string> warnings;    // one per module left raw because its build id differs
  std::vector<std::string> unreadable;  // one per module left raw because its file cannot be read
  std::size_t files_opened = 0;         // module files opened: once per distinct path
  std::size_t looked_up = 0;            // raw frames whose module was asked (libdw)
  std::size_t from_cache = 0;           // raw frames answered from the symbol cache (symbol_cache.hpp)
  std::vector<OuterFrames> outer;       // by raw frame; empty when no call was inlined: stacks unchanged
};

// True when the snapshot has raw frames (module known, no function, file or line) and is not marked
// symbolised.
bool needs_symbolisation(const Snapshot& snapshot);

// Rewrites snapshot.frames and snapshot.stacks in place, appending to snapshot.strings (existing entries keep
// their indices). Stack i stays stack i, so sections that refer to stacks need no change. Frame i stays frame
// i too (its innermost function): the functions it was inlined into are appended to the frames table and
// follow it in every stack.
SymbolisationResult symbolise(Snapshot& snapshot);

// The same without the stacks, for a snapshot read without them (the finish of `prof run`): they stay valid
// as written when `outer` is empty, and need with_outer_frames() otherwise.
SymbolisationResult symbolise_frames(Snapshot& snapshot);
StackTable with_outer_frames(const StackTable& stacks, const std::vector<OuterFrames>& outer);

}  // namespace prof::viewer
