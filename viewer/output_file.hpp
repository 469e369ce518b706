#pragma once
// What prof writes for people to open elsewhere (exports, flame graphs, timeit's exports) appears whole or
// not at all: written to a temporary file in the same directory, then moved into place, so a viewer (or a
// second run) never reads half of it. An existing file is kept unless `force`.
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace prof::viewer {

// Throws UserError(path, ...) when `path` exists and `force` is false: checked before the runs are read.
void check_output_path(const std::string& path, bool force);

// Calls `write` on a temporary file next to `path`, then moves it to `path` (replacing an existing file only
// when `force`). On any failure the temporary file is removed and `path` is left as it was.
void write_output_file(const std::string& path, bool force, const std::function<void(std::ostream&)>& write);

// The same for contents already in memory.
void write_output_file(const std::string& path, bool force, std::string_view contents);

}  // namespace prof::viewer
