#include "export/export_data.hpp"

#include <algorithm>

namespace prof::viewer {

namespace {

MemoryReportOptions memory_options(const ExportOptions& options) {
  MemoryReportOptions memory;
  memory.view = options.view;
  memory.keep_system_frames = options.keep_system_frames;
  return memory;
}

}  // namespace

std::int64_t process_peak(const Snapshot& snapshot) {
  if (!snapshot.memory) return -1;
  std::int64_t peak = snapshot.memory->summary ? snapshot.memory->summary->peak_bytes : -1;
  for (const auto& point : snapshot.memory->timeline)
    peak = std::max(peak, point.live_bytes);
  return peak;
}

// The merged memory groups are not what an export draws (it wants whole stacks, in MemoryStacks), so the
// ReportMerge folds scopes only; its processes() keep each meta and MPI section, its samples() the CPU
// samples' tree (small: one node per call path).
ExportData::ExportData(const ExportOptions& options)
    : options_(options),
      merge_(options.times, /*threads=*/true, /*scopes=*/true, memory_options(options),
             /*with_memory=*/false),
      stacks_(options.keep_system_frames),
      pprof_stacks_(options.keep_system_frames) {}

void ExportData::add(const Snapshot& snapshot) {
  const auto process = merge_.processes().size();
  merge_.add(snapshot);
  thread_processes_.resize(merge_.scopes().thread_trees().size(), process);
  if (snapshot.scopes && !snapshot.scopes->threads.empty()) has_scopes_ = true;
  if (!snapshot.memory) return;
  has_memory_ = true;
  if (options_.memory_stacks) stacks_.add(snapshot);
  switch (options_.addressed_stacks) {
    case AddressedStacks::none:
      break;
    case AddressedStacks::all:
      pprof_stacks_.add(snapshot);
      break;
    case AddressedStacks::largest_peak:
      // The rule massif chooses its process by (the first of equal peaks), kept as the files stream by.
      if (auto peak = process_peak(snapshot); peak > addressed_peak_) {
        addressed_peak_ = peak;
        pprof_stacks_ = PprofStacks(options_.keep_system_frames);
        pprof_stacks_.add(snapshot);
      }
      break;
  }
  if (!snapshot.memory->timeline.empty())
    timelines_.push_back({.pid = snapshot.meta.pid, .process = process, .points = snapshot.memory->timeline});
}

const Meta* ExportData::process(std::int64_t pid) const {
  for (const auto& process : merge_.processes())
    if (process.meta.pid == pid) return &process.meta;
  return nullptr;
}

}  // namespace prof::viewer
