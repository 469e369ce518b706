#pragma once
// What `prof export` gathers from its snapshots, one snapshot at a time as `prof report` does: the scope
// trees (merged and per thread), each process's meta, MPI totals and live-heap timeline, and the memory
// sites folded by stack. Nothing here points into a snapshot, so each is dropped after add().
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "export/memory_stacks.hpp"
#include "export/pprof_stacks.hpp"
#include "merge/memory_view.hpp"
#include "merge/report_merge.hpp"
#include "merge/scope_tree.hpp"
#include "model/snapshot.hpp"

namespace prof::viewer {

struct ExportOptions {
  ScopeTimes times = ScopeTimes::compensated;
  bool memory = false;  // --mem (or --view): formats with room for one profile export memory, not scopes
  MemoryView view = MemoryView::peak;
  bool keep_system_frames = false;
  // pprof and massif: each process's stacks with addresses (pprof_stacks()); a cost the other formats skip.
  bool addressed_stacks = false;
};

// A process's live heap over time (at most ~1000 points), for the formats that draw it.
struct ProcessTimeline {
  std::int64_t pid = 0;
  std::vector<MemoryPoint> points;
};

class ExportData {
 public:
  explicit ExportData(const ExportOptions& options);
  void add(const Snapshot& snapshot);
  void finish() { merge_.finish(); }

  const ExportOptions& options() const { return options_; }
  const ReportMerge& merge() const { return merge_; }  // processes(), scopes() with thread_trees()
  const MemoryStacks& memory_stacks() const { return stacks_; }
  // The same sites with addresses, mappings and their process: pprof and massif.
  const PprofStacks& pprof_stacks() const { return pprof_stacks_; }
  const std::vector<ProcessTimeline>& timelines() const { return timelines_; }
  // The meta of the process `pid` (its first one when pids repeat across hosts), or null.
  const Meta* process(std::int64_t pid) const;
  bool has_scopes() const { return has_scopes_; }
  bool has_memory() const { return has_memory_; }

 private:
  ExportOptions options_;
  ReportMerge merge_;
  MemoryStacks stacks_;
  PprofStacks pprof_stacks_;
  std::vector<ProcessTimeline> timelines_;
  bool has_scopes_ = false, has_memory_ = false;
};

}  // namespace prof::viewer
