#pragma once
// `prof flamegraph --format svg`: a flame graph (root at the bottom, as flamegraph.pl draws it) that any
// image viewer shows; each frame's <title> is its tooltip (name, file:line, figure, share), and in a browser
// an inline script zooms on a click and searches as flamegraph.pl's SVG does. Frames narrower than a pixel
// are merged into one grey block per parent.
#include <string>

#include "flamegraph/flame_tree.hpp"

namespace prof::viewer {

std::string svg_flame(const FlameTree& tree, int width = 1200);

}  // namespace prof::viewer
