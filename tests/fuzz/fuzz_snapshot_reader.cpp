// Feeds arbitrary bytes to the snapshot reader and renders whatever it accepts: no input may crash, leak or
// trip a sanitizer. UserError is the expected answer to bad input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "error.hpp"
#include "memory_report.hpp"
#include "report_render.hpp"
#include "report_sections.hpp"
#include "snapshot_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace prof::viewer;
  try {
    std::vector<Snapshot> snapshots;
    snapshots.push_back(parse_snapshot({reinterpret_cast<const char*>(data), size}, "fuzz"));
    std::vector<Section> sections{meta_section(snapshots), scopes_section(snapshots),
                                  memory_report_section(snapshots, {}), timers_section(snapshots),
                                  mpi_section(snapshots)};
    render_text(sections, {.colour = true, .width = 80});
    render_csv(sections);
    render_json(sections);
  } catch (const UserError&) {
  }
  return 0;
}
