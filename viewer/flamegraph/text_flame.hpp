#pragma once
// `prof flamegraph --format text`: a compact flame for a terminal over ssh. One line per frame, indented by
// depth, heaviest child first, with a bar of its share of the whole and the figure; frames under
// `min_percent` of the whole are left out (their share stays in their parent).
#include <string>

#include "flamegraph/flame_tree.hpp"

namespace prof::viewer {

struct TextFlameOptions {
  double min_percent = 1;
  int bar_width = 20;
};

std::string text_flame(const FlameTree& tree, const TextFlameOptions& options);

}  // namespace prof::viewer
