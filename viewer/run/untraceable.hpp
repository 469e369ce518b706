#pragma once
#include <string>

namespace prof::viewer::run {

// Why the dynamic loader would not load the shim into `program` (looked up in PATH like execvp): "a static
// binary" (an ELF without PT_INTERP), "setuid", "setgid" or "a binary with file capabilities"; "" when it can
// be traced or cannot be read (the launch reports a missing program itself).
std::string untraceable_reason(const std::string& program);

// Whether the file at `path` carries file capabilities (the security.capability extended attribute).
bool has_file_capabilities(const std::string& path);

}  // namespace prof::viewer::run
