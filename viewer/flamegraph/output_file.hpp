#pragma once
// The flame graph's file, published whole: written to a temporary file in the same directory, then renamed
// into place, so a browser or a copy never sees half a page. An existing file is kept unless `force`.
#include <string>
#include <string_view>

namespace prof::viewer {

// Throws UserError("-o", ...) when the file exists (without force) or cannot be written.
void write_output_file(const std::string& path, std::string_view contents, bool force);

}  // namespace prof::viewer
