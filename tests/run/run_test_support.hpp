#pragma once
// What prof run's tests share: where the programs are and how to look at the snapshots a run left.
#include <filesystem>
#include <string>
#include <vector>

#include "temp_dir.hpp"
#include "test_process.hpp"

namespace prof::test {

inline const std::string kProf = PROF_TEST_BIN_DIR "/prof";
inline const std::string kProbe = PROF_RUN_PROBE;

// Snapshot files (*.prof.json) in `dir`, sorted.
std::vector<std::filesystem::path> snapshot_files(const std::filesystem::path& dir);

// Runs the snapshot validator on `path` (a file or a directory); returns its exit code, 0 when all are valid.
int validate_snapshots(const std::filesystem::path& path);

// True when every snapshot under `dir` (recursively) passes the validator; also when there is none, for tests
// whose point is not the snapshot but which still must not leave an invalid one.
bool snapshots_under_are_valid(const std::filesystem::path& dir);

// meta.exit.code of every snapshot in `dir`, one per line, in the order of snapshot_files().
std::string exit_codes_of_snapshots(const std::filesystem::path& dir);

// Environment that makes prof run preload a shim that writes nothing, so a test decides which snapshots
// appear.
ProcessOptions with_empty_shim(ProcessOptions options = {});

}  // namespace prof::test
