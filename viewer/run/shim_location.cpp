#include "run/shim_location.hpp"

#include <cstdlib>
#include <string>

#include "error.hpp"

namespace prof::viewer::run {

namespace fs = std::filesystem;

namespace {

fs::path default_shim_path() {
  // /proc/self/exe, not argv[0]: prof may be reached through PATH or a symlink.
  const fs::path exe = fs::read_symlink("/proc/self/exe");
  return (exe.parent_path() / ".." / "lib" / "libprof_preload.so").lexically_normal();
}

}  // namespace

fs::path locate_preload_shim() {
  const char* override_path = std::getenv("PROF_PRELOAD");
  const fs::path shim = (override_path != nullptr && *override_path != '\0')
                            ? fs::absolute(override_path).lexically_normal()
                            : default_shim_path();
  std::error_code error;
  if (!fs::is_regular_file(shim, error)) throw UserError(shim.string(), "libprof_preload.so not found");
  // The dynamic loader splits LD_PRELOAD at both ':' and ' ', so such a path would name other files.
  if (shim.string().find_first_of(": ") != std::string::npos) {
    throw UserError(shim.string(), "cannot be preloaded from a path containing ':' or ' '");
  }
  return shim;
}

}  // namespace prof::viewer::run
