#pragma once
// `prof flamegraph --format svg`: a static flame graph (root at the bottom, as flamegraph.pl draws it) that
// any image viewer opens; each frame's <title> is its tooltip (name, file:line, figure, share). Frames
// narrower than a pixel are merged into one grey block per parent.
#include <string>

#include "flamegraph/flame_tree.hpp"

namespace prof::viewer {

std::string svg_flame(const FlameTree& tree, int width = 1200);

}  // namespace prof::viewer
