// One fuzz target per section (PROF_FUZZ_SECTION names it): arbitrary bytes become the value of that key in
// an otherwise valid snapshot, so the fuzzer spends its time inside one reader instead of on the document's
// frame. The reports of whatever is accepted are rendered too. UserError is the expected answer to bad input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "error.hpp"
#include "read/snapshot_reader.hpp"
#include "render/render.hpp"
#include "report/memory/memory_section.hpp"
#include "report/mpi/mpi_section.hpp"
#include "report/processes/processes_section.hpp"
#include "report/processes/ranks_section.hpp"
#include "report/scopes/scope_section.hpp"
#include "report/timers/timers_section.hpp"

namespace {

const std::string kMeta = R"("meta": {"program": "p", "argv": ["p"], "pid": 7, "ppid": 1, "host": "h",
  "start_time": "2026-01-01T00:00:00Z", "wall_seconds": 1, "user_seconds": 0, "system_seconds": 0,
  "max_rss_bytes": 1, "exit": {"status": "exited", "code": 0}, "libprof_version": "0.1.0", "writer": "preload",
  "clock": {"source": "clock_gettime", "clock": "CLOCK_MONOTONIC"}, "threads_seen": 1, "cores_online": 2})";

std::string document(const std::string& section, const std::string& value) {
  std::string head = R"({"format": "libprof-snapshot", "version": 1, )";
  if (section == "meta") return head + R"("meta": )" + value + "}";
  return head + kMeta + R"(, ")" + section + R"(": )" + value + "}";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace prof::viewer;
  try {
    std::vector<Snapshot> snapshots;
    snapshots.push_back(
        parse_snapshot(document(PROF_FUZZ_SECTION, {reinterpret_cast<const char*>(data), size}), "fuzz"));
    snapshots.push_back(snapshots.front());
    snapshots.back().meta.pid += 1;
    std::vector<Section> sections{processes_section(snapshots), ranks_section(snapshots),
                                  scope_section(snapshots, {}), memory_section(snapshots, {}),
                                  timers_section(snapshots),    mpi_section(snapshots)};
    render_text(sections, {.colour = false, .width = 80});
    render_csv(sections);
    render_json(sections);
  } catch (const UserError&) {
  }
  return 0;
}
