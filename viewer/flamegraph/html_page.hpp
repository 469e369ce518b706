#pragma once
// The flame graph's page: HTML with its CSS and JavaScript inline (no network, no external script or font),
// into which html_writer puts the tree as JSON at kDataMarker.
#include <string_view>

namespace prof::viewer {

extern const std::string_view kFlamegraphPage;
inline constexpr std::string_view kDataMarker = "/*PROF_FLAME_DATA*/";
inline constexpr std::string_view kTitleMarker = "<!--PROF_FLAME_TITLE-->";

}  // namespace prof::viewer
