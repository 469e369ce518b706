// Issue 13, item 3: the memory tracer's sampled mode (PROF_MEMORY_SAMPLE) on a real process.
// programs/sampled_sites.cpp plants sites of known size and count; over 100 seeded runs at a mean interval of
// 4 KiB (every site holds more than 1000 x 4 KiB), each site's estimated bytes, peak share, leaks and counts
// must be within 10 % of the truth in at least 95 runs, and their mean within 2 %. programs/block_books.cpp
// (every function of the malloc family, aligned blocks, realloc across sampled and unsampled sizes, fork)
// must behave as in a plain run.
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "memory_snapshot_reader.hpp"
#include "test_support.hpp"

namespace {

using prof::test::TempDir;
using prof::test::memory::read_memory;
using prof::test::memory::read_offsets;
using prof::test::memory::Totals;
namespace fs = std::filesystem;

const std::string kPrograms = PROF_MEMORY_PROGRAMS_DIR;
const std::string kShim = std::string(PROF_TEST_LIB_DIR) + "/libprof_preload.so";

// What programs/sampled_sites.cpp allocates, per planting function.
struct Truth {
  const char* site;
  const char* figure;
  double value;
  std::function<std::int64_t(const Totals&)> read;
};

const std::vector<Truth>& truths() {
  static const std::vector<Truth> all = {
      {"plant_small", "allocations", 100000, [](const Totals& t) { return t.allocations; }},
      {"plant_small", "bytes", 6400000, [](const Totals& t) { return t.bytes; }},
      {"plant_small", "peak", 6400000, [](const Totals& t) { return t.peak; }},
      {"plant_large", "allocations", 50, [](const Totals& t) { return t.allocations; }},
      {"plant_large", "bytes", 10000000, [](const Totals& t) { return t.bytes; }},
      {"plant_large", "peak", 10000000, [](const Totals& t) { return t.peak; }},
      {"plant_mixed", "allocations", 10000, [](const Totals& t) { return t.allocations; }},
      {"plant_mixed", "bytes", 10343957, [](const Totals& t) { return t.bytes; }},
      {"plant_mixed", "peak", 10343957, [](const Totals& t) { return t.peak; }},
      {"plant_leak", "allocations", 1000, [](const Totals& t) { return t.allocations; }},
      {"plant_leak", "bytes", 8000000, [](const Totals& t) { return t.bytes; }},
      {"plant_leak", "leaked allocations", 1000, [](const Totals& t) { return t.leaked; }},
      {"plant_leak", "leaked bytes", 8000000, [](const Totals& t) { return t.leaked_bytes; }},
      {"plant_temporary", "allocations", 2000, [](const Totals& t) { return t.allocations; }},
      {"plant_temporary", "bytes", 8000000, [](const Totals& t) { return t.bytes; }},
      {"plant_temporary", "temporary", 2000, [](const Totals& t) { return t.temporary; }},
      {"plant_grown", "allocations", 2600, [](const Totals& t) { return t.allocations; }},
      {"plant_grown", "bytes", 39652800, [](const Totals& t) { return t.bytes; }},
      {"plant_grown", "peak", 13285800, [](const Totals& t) { return t.peak; }},
  };
  return all;
}

}  // namespace

TEST_CASE(
    "sampled mode: every planted site's estimates within 10 % in 95 of 100 seeded runs, mean within 2 %",
    "[memory][sampled]") {
  const std::string program = kPrograms + "/sampled_sites";
  const int runs = 100;
  std::vector<int> within(truths().size(), 0);
  std::vector<double> sum(truths().size(), 0);
  TempDir dir;
  for (int run = 1; run <= runs; ++run) {
    fs::path out = dir.path() / std::to_string(run);
    auto result = prof::test::run({program},
                                  {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + out.string(),
                                   "PROF_MEMORY_SAMPLE=4K", "PROF_MEMORY_SAMPLE_SEED=" + std::to_string(run)},
                                  dir.path());
    INFO(result.err);
    REQUIRE(result.code() == 0);
    auto snapshots = prof::test::snapshots_in(out);
    REQUIRE(snapshots.size() == 1);
    if (run == 1) {
      REQUIRE(prof::test::validate(out) == 0);
      simdjson::dom::parser parser;
      simdjson::dom::object memory = parser.load(snapshots[0].string())["memory"];
      CHECK(std::string_view(memory["mode"]) == "sampled");
      CHECK(std::int64_t(memory["sample_interval_bytes"]) == 4096);
      CHECK(std::int64_t(memory["summary"]["samples"]) > 1000);
    }
    auto memory = read_memory(snapshots[0], read_offsets(result.out), "sampled_sites");
    for (std::size_t i = 0; i < truths().size(); ++i) {
      const auto& truth = truths()[i];
      double estimate = static_cast<double>(truth.read(memory.by_function[truth.site]));
      within[i] += std::abs(estimate / truth.value - 1) <= 0.10 ? 1 : 0;
      sum[i] += estimate;
    }
    fs::remove_all(out);
  }
  for (std::size_t i = 0; i < truths().size(); ++i) {
    const auto& truth = truths()[i];
    INFO(truth.site << " " << truth.figure << ": truth " << truth.value << ", mean estimate " << sum[i] / runs
                    << ", within 10 % in " << within[i] << " runs");
    CHECK(within[i] >= 95);
    CHECK(std::abs(sum[i] / runs / truth.value - 1) <= 0.02);
  }
}

TEST_CASE("sampled mode: the malloc family behaves as in a plain run, sampled and unsampled blocks mixed",
          "[memory][sampled]") {
  const std::string program = kPrograms + "/block_books";
  TempDir plain_dir;
  auto plain = prof::test::run({program, "20000"}, {}, plain_dir.path());
  REQUIRE(plain.code() == 0);
  // Without where blocks fell, and without the heap a 16-byte block takes: a sampled block carries a 16-byte
  // header (exact mode's 8-byte tail fits glibc's chunk: memory_block_books_test.cpp).
  auto without_layout = [](std::string out) {
    for (std::size_t at; (at = out.find(", some page-aligned")) != std::string::npos;)
      out.erase(at, std::string(", some page-aligned").size());
    if (std::size_t at = out.find("heap "); at != std::string::npos) out.erase(at, out.find('\n', at) - at);
    return out;
  };
  // 64 bytes: small blocks mostly left out, larger ones mostly sampled, so realloc crosses both ways.
  for (const char* seed : {"1", "2", "3"}) {
    TempDir dir;
    auto traced = prof::test::run({program, "20000"},
                                  {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string(),
                                   "PROF_MEMORY_SAMPLE=64", std::string("PROF_MEMORY_SAMPLE_SEED=") + seed},
                                  dir.path());
    INFO("seed " << seed << ": " << traced.err);
    REQUIRE(traced.code() == 0);
    CHECK(traced.err.empty());
    CHECK(without_layout(traced.out) == without_layout(plain.out));
    CHECK(traced.out.find("failures 0") != std::string::npos);
    CHECK(prof::test::snapshots_in(dir.path()).size() == 2);  // the parent and its fork child
    CHECK(prof::test::validate(dir.path()) == 0);
  }
}

TEST_CASE("sampled mode: PROF_MEMORY_SAMPLE=0 is exact mode, a bad value is said once and 512K used",
          "[memory][sampled]") {
  const std::string program = kPrograms + "/sampled_sites";
  {
    TempDir dir;
    auto result = prof::test::run(
        {program}, {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string(), "PROF_MEMORY_SAMPLE=0"},
        dir.path());
    REQUIRE(result.code() == 0);
    auto snapshots = prof::test::snapshots_in(dir.path());
    REQUIRE(snapshots.size() == 1);
    simdjson::dom::parser parser;
    simdjson::dom::object memory = parser.load(snapshots[0].string())["memory"];
    CHECK(std::string_view(memory["mode"]) == "exact");
    auto by_function = read_memory(snapshots[0], read_offsets(result.out), "sampled_sites").by_function;
    CHECK(by_function["plant_small"].allocations == 100000);
    CHECK(by_function["plant_mixed"].bytes == 10343957);
  }
  {
    TempDir dir;
    auto result = prof::test::run(
        {program}, {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string(), "PROF_MEMORY_SAMPLE=lots"},
        dir.path());
    REQUIRE(result.code() == 0);
    CHECK(result.err ==
          "prof: warning: PROF_MEMORY_SAMPLE=lots is not a size in bytes (524288, 512K, 1M); "
          "using the default, 512K\n");
    simdjson::dom::parser parser;
    simdjson::dom::object memory = parser.load(prof::test::snapshots_in(dir.path())[0].string())["memory"];
    CHECK(std::string_view(memory["mode"]) == "sampled");
    CHECK(std::int64_t(memory["sample_interval_bytes"]) == 524288);
  }
}

TEST_CASE("prof run --mem-sample BYTES records in sampled mode; a bad size is refused in one line",
          "[memory][sampled]") {
  const std::string prof = std::string(PROF_TEST_BIN_DIR) + "/prof";
  const std::string program = kPrograms + "/sampled_sites";
  TempDir dir;
  fs::path out = dir.path() / "run";
  auto result =
      prof::test::run({prof, "run", "-o", out.string(), "--mem-sample", "8K", program}, {}, dir.path());
  INFO(result.err);
  REQUIRE(result.code() == 0);
  auto snapshots = prof::test::snapshots_in(out);
  REQUIRE(snapshots.size() == 1);
  simdjson::dom::parser parser;
  simdjson::dom::object memory = parser.load(snapshots[0].string())["memory"];
  CHECK(std::string_view(memory["mode"]) == "sampled");
  CHECK(std::int64_t(memory["sample_interval_bytes"]) == 8192);
  auto report = prof::test::run({prof, "report", "--mem", out.string()}, {"NO_COLOR=1"}, dir.path());
  CHECK(report.code() == 0);
  CHECK(report.out.find("one sample per 8.00 KiB allocated on average") != std::string::npos);

  auto bad = prof::test::run(
      {prof, "run", "-o", (dir.path() / "bad").string(), "--mem-sample", "lots", program}, {}, dir.path());
  CHECK(bad.code() == 2);
  CHECK(bad.err == "prof: error: --mem-sample: not a size in bytes (524288, 512K, 1M, up to 1T)\n");
  CHECK(!fs::exists(dir.path() / "bad"));
}

TEST_CASE("sampled mode: a block grown by realloc is not copied each time the sampler changes its mind",
          "[memory][sampled]") {
  // A 64 MiB block grown a mebibyte at a time, at a mean interval of 32 MiB: each realloc is picked or left
  // out afresh (from 3 % at 1 MiB to 86 % at 64 MiB). Moving the block between a plain block and one with a
  // header at every change copied it, a page fault per page each time: 186 000-219 000 faults in five seeds,
  // against 16 400 plain. Now it moves at most once, when first picked (16 384 pages at the most).
  const std::string program = kPrograms + "/grown_block";
  TempDir plain_dir;
  auto plain = prof::test::run({program}, {}, plain_dir.path());
  REQUIRE(plain.code() == 0);
  const long plain_faults = std::stol(plain.out.substr(plain.out.find(' ') + 1));
  for (const char* seed : {"1", "2", "3", "4", "5"}) {
    TempDir dir;
    auto traced = prof::test::run({program},
                                  {"LD_PRELOAD=" + kShim, "PROF_OUTPUT=" + dir.path().string(),
                                   "PROF_MEMORY_SAMPLE=32M", std::string("PROF_MEMORY_SAMPLE_SEED=") + seed},
                                  dir.path());
    INFO("seed " << seed << ": " << traced.out << traced.err);
    REQUIRE(traced.code() == 0);
    REQUIRE(traced.out.starts_with("kept "));
    CHECK(std::stol(traced.out.substr(5)) <= plain_faults + 16384 + 2000);
  }
}
