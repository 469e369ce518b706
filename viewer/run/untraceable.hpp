#pragma once
#include <string>

namespace prof::viewer::run {

// Why the dynamic loader would not load the shim into `program` (looked up in PATH like execvp): "a static
// binary" (an ELF without PT_INTERP), "setuid" or "setgid"; "" when it can be traced or cannot be read (the
// launch reports a missing program itself).
std::string untraceable_reason(const std::string& program);

}  // namespace prof::viewer::run
