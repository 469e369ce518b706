#pragma once
// A frame of a snapshot in words, for tables and trees.
#include <cstdint>
#include <string>

#include "model/snapshot.hpp"

namespace prof::viewer {

// "function file:line", "file:line", or "module+0xOFFSET" for a frame not yet symbolised.
std::string describe_frame(const Snapshot& snapshot, std::uint32_t frame);

}  // namespace prof::viewer
