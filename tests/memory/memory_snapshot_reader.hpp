#pragma once
// Reads a memory snapshot of a planted program: totals per planting function (plant_*), found through the
// function offsets the program prints, and the summary.
#include <simdjson.h>

#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace prof::test::memory {

namespace fs = std::filesystem;

struct Totals {
  std::int64_t allocations = 0, bytes = 0, peak = 0, leaked = 0, leaked_bytes = 0, temporary = 0;
  std::int64_t sites = 0;  // how many distinct stacks were charged to the function
  std::int64_t fewest_per_site = -1, most_per_site = 0;  // allocations of its sites
};

struct Memory {
  std::map<std::string, Totals> by_function;
  Totals summary;
  std::int64_t timeline_rows = 0;
};

// Function starts (module offsets) printed by the program.
inline std::map<std::uint64_t, std::string> read_offsets(const std::string& out) {
  std::map<std::uint64_t, std::string> starts;
  std::istringstream lines(out);
  std::string name;
  std::uint64_t offset;
  while (lines >> name >> offset)
    starts[offset] = name;
  return starts;
}

// Charges each site to the innermost frame inside a planting function of the program.
inline Memory read_memory(const fs::path& file, const std::map<std::uint64_t, std::string>& starts,
                          const std::string& program = "planted") {
  const std::string suffix = "/" + program;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(file.string());
  std::int64_t program_module = -1, index = 0;
  for (auto module : simdjson::dom::array(doc["modules"])) {
    std::string path{std::string_view(module["path"])};
    if (path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix)
      program_module = index;
    ++index;
  }
  std::vector<std::pair<std::int64_t, std::uint64_t>> frames;
  for (auto row : simdjson::dom::array(doc["frames"]["rows"]))
    frames.emplace_back(std::int64_t(row.at(3)), std::uint64_t(row.at(4)));
  std::vector<std::string> stack_owner;
  for (auto stack : simdjson::dom::array(doc["stacks"])) {
    std::string owner;
    for (auto frame : simdjson::dom::array(stack)) {
      auto [module, offset] = frames.at(std::uint64_t(frame));
      if (module != program_module) continue;
      auto after = starts.upper_bound(offset);
      if (after == starts.begin()) continue;
      std::string name = std::prev(after)->second;
      if (name.rfind("plant_", 0) == 0) {
        owner = name;
        break;
      }
    }
    stack_owner.push_back(owner);
  }
  Memory memory;
  simdjson::dom::object section = doc["memory"];
  for (auto row : simdjson::dom::array(section["sites"]["rows"])) {
    Totals& t = memory.by_function[stack_owner.at(std::uint64_t(row.at(0)))];
    t.allocations += std::int64_t(row.at(1));
    t.bytes += std::int64_t(row.at(2));
    t.peak += std::int64_t(row.at(3));
    t.leaked += std::int64_t(row.at(4));
    t.leaked_bytes += std::int64_t(row.at(5));
    t.temporary += std::int64_t(row.at(6));
    ++t.sites;
    std::int64_t allocations = std::int64_t(row.at(1));
    if (t.fewest_per_site < 0 || allocations < t.fewest_per_site) t.fewest_per_site = allocations;
    if (allocations > t.most_per_site) t.most_per_site = allocations;
  }
  simdjson::dom::object summary = section["summary"];
  memory.summary.allocations = std::int64_t(summary["allocations"]);
  memory.summary.bytes = std::int64_t(summary["allocated_bytes"]);
  memory.summary.peak = std::int64_t(summary["peak_bytes"]);
  memory.summary.leaked = std::int64_t(summary["leaked_allocations"]);
  memory.timeline_rows = std::int64_t(simdjson::dom::array(section["timeline"]["rows"]).size());
  return memory;
}

}  // namespace prof::test::memory
