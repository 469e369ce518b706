#include "run/run_directory.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

// The default directory sits in the current directory, which may be shared (a sticky /tmp): another user
// could have planted a symlink or a directory of theirs under the predictable name, to receive the snapshots
// or to have a crafted one parsed. So it must be new: mkdir, which never follows a symlink, then a check that
// what stands there is our directory.
void create_fresh_dir(const OutputDir& dir) {
  if (::mkdir(dir.absolute.c_str(), 0777) != 0) {
    if (errno == EEXIST)
      throw UserError(dir.shown, "exists already, not created by this run (remove it, or choose -o DIR)");
    throw UserError(dir.shown, std::strerror(errno));
  }
  struct stat info;
  if (::lstat(dir.absolute.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != ::geteuid())
    throw UserError(dir.shown, "replaced while prof created it");
}

// Written by a process of ours: a regular file (not a symlink to somewhere else) owned by our user.
bool is_ours(const fs::path& file) {
  static const uid_t user = ::geteuid();
  struct stat info;
  return ::lstat(file.c_str(), &info) == 0 && S_ISREG(info.st_mode) && info.st_uid == user;
}

}  // namespace

OutputDir prepare_output_dir(const std::optional<std::string>& requested, const std::string& program) {
  OutputDir dir;
  dir.shown = requested.value_or(default_dir_name(program));
  if (dir.shown.empty()) throw UserError("-o", "empty directory name");
  // Without the trailing separator that "D/" keeps, so that parent_path() walks up from D itself.
  dir.absolute = (fs::absolute(dir.shown) / ".").lexically_normal().parent_path();
  if (!requested) {
    create_fresh_dir(dir);
    dir.created_root = dir.absolute;
    return dir;
  }
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

std::set<std::string> new_snapshot_names(const fs::path& dir, const std::set<std::string>& before) {
  std::set<std::string> names = snapshot_names(dir);
  std::erase_if(names,
                [&](const std::string& name) { return before.contains(name) || !is_ours(dir / name); });
  return names;
}

}  // namespace prof::viewer::run
