#pragma once
// The flame graph as one self-contained HTML page (html_page) holding the tree as JSON.
#include <string>

#include "flamegraph/flame_tree.hpp"

namespace prof::viewer {

// `source`: what the graph was made from (the paths), shown in the page's header.
std::string html_flame(const FlameTree& tree, const std::string& source);

// The tree's nodes depth first, heaviest child first (the order the page and the SVG lay out in); the
// values are indices into tree.nodes.
std::vector<std::uint32_t> preorder(const FlameTree& tree);

}  // namespace prof::viewer
