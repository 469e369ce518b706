#pragma once
// The bits of JSON the JSON exports write by hand (they stream; the model is never a JSON document).
#include <cstdint>
#include <string>
#include <string_view>

namespace prof::viewer {

// `text` as a JSON string, quotes included; bytes that are not valid UTF-8 become U+FFFD.
std::string json_string(std::string_view text);
// A finite number in the shortest form that reads back the same; NaN and infinities become 0.
std::string json_number(double value);

}  // namespace prof::viewer
