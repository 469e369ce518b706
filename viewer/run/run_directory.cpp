#include "run/run_directory.hpp"

#include <unistd.h>

#include "error.hpp"

namespace prof::viewer::run {

namespace fs = std::filesystem;

namespace {

std::string default_dir_name(const std::string& program) {
  return "prof." + fs::path(program).filename().string() + "." + std::to_string(::getpid());
}

// The outermost of `dir` and its parents that does not exist yet; empty when `dir` exists.
fs::path first_missing(const fs::path& dir) {
  std::error_code error;
  fs::path missing;
  for (fs::path at = dir; !at.empty() && !fs::exists(at, error); at = at.parent_path()) {
    missing = at;
    if (at == at.parent_path()) break;
  }
  return missing;
}

}  // namespace

OutputDir prepare_output_dir(const std::optional<std::string>& requested, const std::string& program) {
  OutputDir dir;
  dir.shown = requested.value_or(default_dir_name(program));
  if (dir.shown.empty()) throw UserError("-o", "empty directory name");
  // Without the trailing separator that "D/" keeps, so that parent_path() walks up from D itself.
  dir.absolute = (fs::absolute(dir.shown) / ".").lexically_normal().parent_path();
  dir.created_root = first_missing(dir.absolute);
  std::error_code error;
  fs::create_directories(dir.absolute, error);
  if (error) throw UserError(dir.shown, error.message());
  if (!fs::is_directory(dir.absolute, error)) throw UserError(dir.shown, "not a directory");
  return dir;
}

void discard_if_unused(const OutputDir& dir) {
  if (dir.created_root.empty()) return;
  std::error_code error;
  for (fs::path at = dir.absolute; !error; at = at.parent_path()) {
    fs::remove(at, error);  // removes only an empty directory
    if (at == dir.created_root) break;
  }
}

std::set<std::string> snapshot_names(const fs::path& dir) {
  std::set<std::string> names;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    std::string name = it->path().filename().string();
    if (name.ends_with(".prof.json")) names.insert(std::move(name));
  }
  return names;
}

}  // namespace prof::viewer::run
