#pragma once
// speedscope's JSON file format (https://www.speedscope.app/file-format-schema.json).
#include <ostream>

#include "export/export_data.hpp"

namespace prof::viewer {

// One evented profile per thread (its scope tree laid out as a flame chart, in nanoseconds), then one sampled
// profile for memory when the runs have it: a sample per stack, weighted by the --view's bytes.
void write_speedscope(const ExportData& data, std::ostream& out);

}  // namespace prof::viewer
