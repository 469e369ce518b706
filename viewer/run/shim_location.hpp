#pragma once
#include <filesystem>

namespace prof::viewer::run {

// The absolute path of libprof_preload.so: $PROF_PRELOAD when set, else ../lib/libprof_preload.so next to the
// prof executable (the build tree and the install tree share that layout). Throws UserError when it is
// missing.
std::filesystem::path locate_preload_shim();

}  // namespace prof::viewer::run
