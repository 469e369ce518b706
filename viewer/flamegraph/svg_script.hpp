#pragma once
// The script inside `prof flamegraph --format svg`: click to zoom, search, and the URL's #zoom= / #search=.
#include <string_view>

namespace prof::viewer {

extern const std::string_view kSvgScript;

}  // namespace prof::viewer
