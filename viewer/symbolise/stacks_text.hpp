#pragma once
// The stacks table rewritten as text: when symbolisation expanded inlined calls, each frame of a stack is
// followed by the functions it was inlined into (frames.hpp, OuterFrames). Reading 117 649 stacks into the
// model and writing them out again was a third of the finish of `prof run`; most of their frames are
// unchanged.
#include <string>
#include <string_view>
#include <vector>

#include "symbolise/frames.hpp"

namespace prof::viewer {

// Appends `stacks` (the member's text as the shim writes it: arrays of frame numbers, no blanks) to `out`
// with the outer frames inserted. False, with `out` as it was, for any other spelling or a frame that `outer`
// does not cover: the caller then reads the stacks with the reader, which says what is wrong.
bool append_stacks_with_outer_frames(std::string& out, std::string_view stacks,
                                     const std::vector<OuterFrames>& outer);

}  // namespace prof::viewer
