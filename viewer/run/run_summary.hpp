#pragma once
#include <cstddef>
#include <string>

namespace prof::viewer::run {

// The one line prof run prints at the end: how many snapshots this run left, where, and how to read them;
// when there is none, why (the launched program's `wait_status` says whether a signal ended it).
std::string summary_line(std::size_t new_snapshots, const std::string& shown_dir, int wait_status);

}  // namespace prof::viewer::run
