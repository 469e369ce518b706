#pragma once
// A format that writes while the snapshots are read, for what is too large to hold until the end (pprof's
// memory samples: one per stack and process, ten million for 1024 ranks). The command folds each snapshot
// into the ExportData, then hands it to add(); finish() writes the rest.
#include <cstddef>
#include <memory>
#include <ostream>

#include "export/export_data.hpp"

namespace prof::viewer {

class ExportStream {
 public:
  virtual ~ExportStream() = default;
  virtual void add(const ExportData& data, const Snapshot& snapshot) = 0;
  // Throws UserError when the runs hold nothing the format can carry.
  virtual void finish(const ExportData& data) = 0;
};

// Opens a stream writing to `out`; `files`: how many snapshots will come.
using ExportStreamOpener = std::unique_ptr<ExportStream> (*)(const ExportOptions& options, std::size_t files,
                                                             std::ostream& out);

}  // namespace prof::viewer
