#pragma once
// The stacks table rewritten as text: when symbolisation expanded inlined calls, each frame of a stack is
// followed by the functions it was inlined into (frames.hpp, OuterFrames). Reading 117 649 stacks into the
// model and writing them out again was a third of the finish of `prof run`; most of their frames are
// unchanged, so the text is copied as written between the frames that gain some.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "symbolise/frames.hpp"

namespace prof::viewer {

// After the text of a frame number that has outer frames, at byte `at`, those frames go (",7,8").
struct OuterInsertion {
  std::size_t at = 0;
  std::uint32_t frame = 0;
};

// Where `stacks` (the member's text as the shim writes it: arrays of frame numbers, no blanks) gains outer
// frames, in order. nullopt for any other spelling or a frame that `outer` does not cover: the caller then
// reads the stacks with the reader, which says what is wrong.
std::optional<std::vector<OuterInsertion>> outer_insertions(std::string_view stacks,
                                                            const std::vector<OuterFrames>& outer);

// The text inserted for `frame`: ",first,first+1,...".
std::string outer_text(const OuterFrames& frames);

}  // namespace prof::viewer
