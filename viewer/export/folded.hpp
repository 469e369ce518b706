#pragma once
// Folded stacks, `frame;frame;frame count` a line: the input of flamegraph.pl and inferno.
#include <ostream>

#include "export/export_data.hpp"

namespace prof::viewer {

// Scopes: one line per call path of the merged tree, the count its self time in ns. With --mem: one line per
// stack of memory sites, the count the --view's bytes. With --samples: one line per sampled call path, the
// count its self samples.
void write_folded(const ExportData& data, std::ostream& out);

// A frame name as the folded format can hold it: ';' separates frames and a newline ends the line.
std::string folded_frame(std::string name);

}  // namespace prof::viewer
