#pragma once
// Running programs under real `mpirun ... prof run -o DIR -- PROGRAM`, and reading the per-rank snapshots
// back with simdjson (independently of the viewer's reader).

#include <simdjson.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "test_process.hpp"

namespace prof::test {

// Quiet and reliable in containers on two cores: shared memory only, no binding, ranks that wait yield the
// CPU.
inline std::vector<std::string> mpirun(int ranks) {
  return {PROF_TEST_MPIRUN,
          "--allow-run-as-root",
          "--oversubscribe",
          "--bind-to",
          "none",
          "--mca",
          "btl",
          "self,vader",
          "--mca",
          "mpi_yield_when_idle",
          "1",
          "-np",
          std::to_string(ranks)};
}

// Under ASan+UBSan libprof.so is sanitized: it cannot be loaded after the preload shim (the sanitizer runtime
// must come first) and Open MPI's own leaks would fail the run. These tests run in the plain builds only.
inline bool sanitized_build() {
  const char* env = std::getenv("PROF_TEST_SANITIZED");
  return PROF_TEST_SANITIZED || (env != nullptr && std::string(env) == "1");
}

inline ProcessResult run_clean(const std::vector<std::string>& argv) {
  ProcessOptions options;
  for (const char* name : {"LD_PRELOAD", "PROF_OUTPUT", "PROF_PRELOAD"})
    options.env.emplace(name, std::nullopt);
  return run_process(argv, {}, options);
}

// mpirun -np RANKS prof run -o DIR [EXTRA...] -- PROGRAM...
inline ProcessResult mpirun_under_prof(int ranks, const std::filesystem::path& dir,
                                       const std::vector<std::string>& program,
                                       const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = mpirun(ranks);
  argv.insert(argv.end(), {PROF_TEST_BIN_DIR "/prof", "run", "-o", dir.string()});
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back("--");
  argv.insert(argv.end(), program.begin(), program.end());
  return run_clean(argv);
}

inline std::vector<std::filesystem::path> snapshot_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().filename().string().ends_with(".prof.json")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

inline void require_valid_snapshots(const std::filesystem::path& dir) {
  const ProcessResult check = run_process({PROF_TEST_PYTHON, PROF_TEST_VALIDATOR, dir.string()});
  INFO(check.out << check.err);
  REQUIRE(check.exit_code == 0);
}

struct MpiOperation {
  std::int64_t calls = 0, bytes_sent = 0, bytes_received = 0, total_ns = 0;
};

// One rank's snapshot, the parts these tests check.
struct RankSnapshot {
  std::filesystem::path file;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;

  explicit RankSnapshot(const std::filesystem::path& path) : file(path), doc(parser.load(path.string())) {}
  std::int64_t meta_int(const char* key) { return std::int64_t(doc["meta"][key]); }
  std::string meta_text(const char* key) { return std::string(std::string_view(doc["meta"][key])); }
  bool has(const char* key) { return !doc[key].error(); }
  std::string string_at(std::int64_t index) {
    return std::string(std::string_view(simdjson::dom::array(doc["strings"]).at(std::size_t(index))));
  }

  // The operation's totals; calls 0 when the section does not list it.
  MpiOperation operation(const std::string& name) {
    MpiOperation found;
    for (auto entry : simdjson::dom::array(doc["mpi"]["operations"])) {
      if (std::string_view(entry["name"]) != name) continue;
      found = {std::int64_t(entry["calls"]), std::int64_t(entry["bytes_sent"]),
               std::int64_t(entry["bytes_received"]), std::int64_t(entry["total_ns"])};
    }
    return found;
  }

  // total_ns of the first thread's scope `name` whose parent scope is `parent` ("" for a root, "*" for any);
  // -1 if none.
  std::int64_t scope_total_ns(const std::string& name, const std::string& parent) {
    simdjson::dom::object scopes = doc["scopes"];
    std::vector<std::string> site_names;
    for (auto row : simdjson::dom::array(scopes["sites"]["rows"]))
      site_names.push_back(string_at(std::int64_t(simdjson::dom::array(row).at(0))));
    simdjson::dom::array threads = scopes["threads"];
    std::vector<std::pair<std::int64_t, std::int64_t>> nodes;  // parent, site
    for (auto row_value : simdjson::dom::array(threads.at(0)["nodes"]["rows"])) {
      simdjson::dom::array row = row_value;
      nodes.emplace_back(std::int64_t(row.at(0)), std::int64_t(row.at(1)));
      const auto& [up, site] = nodes.back();
      const std::string up_name = up < 0 ? "" : site_names.at(std::size_t(nodes.at(std::size_t(up)).second));
      if (site_names.at(std::size_t(site)) == name && (parent == "*" || up_name == parent))
        return std::int64_t(row.at(4));
    }
    return -1;
  }
};

}  // namespace prof::test
