#pragma once
// The stacks table read before the DOM parser sees the document. In a run directory's snapshots "stacks" is
// most of the bytes (1.2 of 1.9 MB per rank: arrays of small integers), and simdjson's DOM spends most of
// its time writing a tape entry per integer that the reader then copies into a StackTable. Read here in one
// pass straight into the table, the value is then blanked ("[]" and spaces) so the parser skips it.
#include <cstddef>
#include <optional>

#include "model/snapshot.hpp"

namespace prof::viewer {

struct PlainStacks {
  StackTable table;
  std::uint32_t max_frame = 0;  // the largest frame index, checked against "frames" once that is read
  bool any_frame = false;
};

// The top-level "stacks" value of the JSON object in json[0, size), when it has the plain shape libprof
// writes (an array of arrays of integers, no exponents, signs or escapes before it); that value is then
// overwritten with "[]" and spaces. Anything else (no such key, another shape, bad JSON) returns nothing
// and leaves the text as it was: the DOM reader reads it and words any error.
std::optional<PlainStacks> take_plain_stacks(char* json, std::size_t size);

// Moves the table into `snapshot` once its frames are read; throws json::FormatError in the DOM reader's
// words when a stack names a frame that is not there.
void use_plain_stacks(PlainStacks&& stacks, Snapshot& snapshot);

}  // namespace prof::viewer
