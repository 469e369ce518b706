#pragma once
// An export's file appears whole or not at all: written to a temporary file in the same directory, then
// renamed into place, so a viewer (or a second export) never reads half of it.
#include <functional>
#include <ostream>
#include <string>

namespace prof::viewer {

// Throws UserError(path, ...) when `path` exists and `force` is false: checked before the runs are read.
void check_output_path(const std::string& path, bool force);

// Calls `write` on a temporary file next to `path`, then moves it to `path` (replacing an existing file only
// when `force`). On any failure the temporary file is removed and `path` is left as it was.
void write_output_file(const std::string& path, bool force, const std::function<void(std::ostream&)>& write);

}  // namespace prof::viewer
