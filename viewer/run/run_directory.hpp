#pragma once
#include <filesystem>
#include <optional>
#include <set>
#include <string>

namespace prof::viewer::run {

// The directory the run's snapshots go to, as the user should see it and as the child is told (absolute).
struct OutputDir {
  std::string shown;                   // as given with -o, or the default relative name
  std::filesystem::path absolute;      // what PROF_OUTPUT gets
  std::filesystem::path created_root;  // the outermost directory prof created for it; empty when it existed
};

// -o DIR, created (with its parents) when missing; or prof.PROGRAM.PID in the current directory, which must
// not exist yet (a symlink or a directory planted there is refused). Throws UserError when it cannot be a
// directory.
OutputDir prepare_output_dir(const std::optional<std::string>& requested, const std::string& program);

// Removes the directories prof created for the run, when nothing was written there (the program never
// started).
void discard_if_unused(const OutputDir& dir);

// Names of the snapshots (`*.prof.json`) now in the directory, whoever wrote them.
std::set<std::string> snapshot_names(const std::filesystem::path& dir);
// The snapshots now in the directory that are not among `before` and that a process of ours wrote: regular
// files owned by our user, never a symlink or another user's file dropped there. Only the new names are
// looked at closer: a directory reused run after run holds hundreds of snapshots, two system calls each.
std::set<std::string> new_snapshot_names(const std::filesystem::path& dir,
                                         const std::set<std::string>& before);

}  // namespace prof::viewer::run
