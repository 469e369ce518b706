// Reads the optional `samples` section (docs/SNAPSHOT.md): counts per stack, checked against "stacks".
#include "read/samples_reader.hpp"

#include <fmt/format.h>

#include "read/table_reader.hpp"

namespace prof::viewer {

Samples read_samples(const json::element& value, const Snapshot& snapshot) {
  auto object = json::to_object(value, "samples");
  Samples samples;
  samples.clock = std::string(json::to_string(json::require(object, "clock", "samples"), "samples.clock"));
  samples.hz = json::to_number(json::require(object, "hz", "samples"), "samples.hz");
  if (!(samples.hz >= 0)) json::fail("samples.hz: must not be negative");
  if (auto period = json::find(object, "period_seconds"))
    samples.period_seconds = json::to_number(*period, "samples.period_seconds");
  else if (samples.hz > 0)
    samples.period_seconds = 1.0 / samples.hz;
  samples.samples = json::to_count(json::require(object, "samples", "samples"), "samples.samples");
  if (auto dropped = json::find(object, "dropped"))
    samples.dropped = json::to_count(*dropped, "samples.dropped");
  TableReader stacks(json::require(object, "stacks", "samples"), "samples.stacks");
  const auto stack = stacks.require_column("stack");
  const auto count = stacks.require_column("samples");
  samples.stacks.reserve(stacks.row_count());
  while (stacks.next())
    samples.stacks.push_back(
        {.stack = stacks.index(stack, snapshot.stacks.size(), "stacks"), .samples = stacks.count(count)});
  return samples;
}

}  // namespace prof::viewer
