#pragma once
// Runs a program under the shim into a fresh output directory and reads back what the tests check.

#include <simdjson.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace prof::test {

inline const std::string kShimPath = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

inline std::string more_program(const char* name) {
  return std::string(PROF_PRELOAD_PROGRAMS_DIR) + "/" + name;
}

struct SnapshotFacts {
  std::string file, program, status, label;
  std::int64_t pid = -1, code = -1, sequence = 0;
};

inline SnapshotFacts read_facts(const fs::path& file) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(file.string());
  simdjson::dom::object meta = doc["meta"];
  SnapshotFacts facts;
  facts.file = file.filename().string();
  facts.program = std::string(std::string_view(meta["program"]));
  facts.pid = std::int64_t(meta["pid"]);
  facts.status = std::string(std::string_view(meta["exit"]["status"]));
  if (auto code = meta["exit"]["code"]; !code.error()) facts.code = std::int64_t(code);
  if (auto label = meta["label"]; !label.error()) facts.label = std::string(std::string_view(label));
  if (auto sequence = meta["sequence"]; !sequence.error()) facts.sequence = std::int64_t(sequence);
  return facts;
}

struct ShimResult {
  TempDir output;
  TempDir scratch;
  RunResult result;
  std::vector<SnapshotFacts> snapshots;  // sorted by file name
};

inline void run_with_shim(ShimResult& run_state, const std::vector<std::string>& argv,
                          std::vector<std::string> extra_env = {}) {
  bool own_preload = false;
  for (const auto& entry : extra_env)
    own_preload |= entry.rfind("LD_PRELOAD=", 0) == 0;
  if (!own_preload) extra_env.insert(extra_env.begin(), "LD_PRELOAD=" + kShimPath);
  extra_env.insert(extra_env.begin(), "PROF_OUTPUT=" + run_state.output.path().string());
  run_state.result = run(argv, extra_env, run_state.scratch.path());
  for (const auto& file : snapshots_in(run_state.output.path()))
    run_state.snapshots.push_back(read_facts(file));
}

}  // namespace prof::test
