#pragma once
// What a streamed merge (prof report, prof diff) may keep of each process: its summary, never the snapshot's
// tables. Deterministic, unlike a memory limit.
#include <catch2/catch.hpp>

#include <cstddef>

#include "merge/report_merge.hpp"

namespace prof::test {

inline void check_keeps_only_summaries(const prof::viewer::ReportMerge& merge, std::size_t processes) {
  REQUIRE(merge.processes().size() == processes);
  for (const auto& process : merge.processes()) {
    CHECK(process.strings.empty());
    CHECK(process.frames.empty());
    CHECK(process.stacks.size() == 0);
    CHECK(!process.scopes);
    REQUIRE(process.memory);
    CHECK(process.memory->sites.empty());
  }
  CHECK(merge.scopes().processes() == processes);
  CHECK(merge.memory().groups().size() == 1);
}

}  // namespace prof::test
