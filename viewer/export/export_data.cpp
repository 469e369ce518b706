#include "export/export_data.hpp"

namespace prof::viewer {

namespace {

MemoryReportOptions memory_options(const ExportOptions& options) {
  MemoryReportOptions memory;
  memory.view = options.view;
  memory.keep_system_frames = options.keep_system_frames;
  return memory;
}

}  // namespace

// The merged memory groups are not what an export draws (it wants whole stacks, in MemoryStacks), so the
// ReportMerge folds scopes only; its processes() keep each meta and MPI section.
ExportData::ExportData(const ExportOptions& options)
    : options_(options),
      merge_(options.times, /*threads=*/true, /*scopes=*/true, memory_options(options),
             /*with_memory=*/false),
      stacks_(options.keep_system_frames),
      pprof_stacks_(options.keep_system_frames) {}

void ExportData::add(const Snapshot& snapshot) {
  merge_.add(snapshot);
  if (snapshot.scopes && !snapshot.scopes->threads.empty()) has_scopes_ = true;
  if (snapshot.memory) {
    has_memory_ = true;
    stacks_.add(snapshot);
    if (options_.addressed_stacks) pprof_stacks_.add(snapshot);
    if (!snapshot.memory->timeline.empty())
      timelines_.push_back({.pid = snapshot.meta.pid, .points = snapshot.memory->timeline});
  }
}

const Meta* ExportData::process(std::int64_t pid) const {
  for (const auto& process : merge_.processes())
    if (process.meta.pid == pid) return &process.meta;
  return nullptr;
}

}  // namespace prof::viewer
