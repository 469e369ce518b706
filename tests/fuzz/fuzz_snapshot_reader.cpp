// Feeds arbitrary bytes to the snapshot reader and renders whatever it accepts: no input may crash, leak or
// trip a sanitizer. UserError is the expected answer to bad input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "error.hpp"
#include "read/snapshot_reader.hpp"
#include "render/render.hpp"
#include "report/memory/memory_section.hpp"
#include "report/mpi/mpi_section.hpp"
#include "report/processes/processes_section.hpp"
#include "report/scopes/scope_section.hpp"
#include "report/timers/timers_section.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace prof::viewer;
  try {
    std::vector<Snapshot> snapshots;
    snapshots.push_back(parse_snapshot({reinterpret_cast<const char*>(data), size}, "fuzz"));
    std::vector<Section> sections{processes_section(snapshots), scope_section(snapshots, {}),
                                  memory_section(snapshots, {}), timers_section(snapshots),
                                  mpi_section(snapshots)};
    render_text(sections, {.colour = true, .width = 80});
    render_csv(sections);
    render_json(sections);
  } catch (const UserError&) {
  }
  return 0;
}
