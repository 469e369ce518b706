#pragma once
// What `prof export` gathers from its snapshots, one snapshot at a time as `prof report` does: the scope
// trees (merged and per thread), each process's meta, MPI totals and live-heap timeline, the memory sites
// folded by stack and the CPU samples' call tree. Nothing here points into a snapshot, so each is dropped
// after add(). A format folds only what it draws (ExportOptions' needs): stacks cost more than scopes.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "export/pprof_stacks.hpp"
#include "merge/memory_stacks.hpp"
#include "merge/memory_view.hpp"
#include "merge/report_merge.hpp"
#include "merge/scope_tree.hpp"
#include "model/snapshot.hpp"

namespace prof::viewer {

// Which memory sites a format wants with addresses and mappings (pprof_stacks()).
enum class AddressedStacks {
  none,
  all,           // every process's
  largest_peak,  // only the process with the largest peak (massif draws that one): one process in memory
};

struct ExportOptions {
  ScopeTimes times = ScopeTimes::compensated;
  bool memory = false;   // --mem (or --view): formats with room for one profile export memory, not scopes
  bool samples = false;  // --samples: the CPU samples instead of scopes
  MemoryView view = MemoryView::peak;
  bool keep_system_frames = false;
  // What the format reads, set by the command from the format's table entry: the memory sites by stack of
  // functions (memory_stacks()), and by addresses (pprof_stacks()).
  bool memory_stacks = true;
  AddressedStacks addressed_stacks = AddressedStacks::none;
};

// A process's live heap over time (at most ~1000 points), for the formats that draw it.
struct ProcessTimeline {
  std::int64_t pid = 0;
  std::size_t process = 0;  // index into merge().processes(): pids repeat across hosts
  std::vector<MemoryPoint> points;
};

class ExportData {
 public:
  explicit ExportData(const ExportOptions& options);
  void add(const Snapshot& snapshot);
  void finish() { merge_.finish(); }

  const ExportOptions& options() const { return options_; }
  // processes(), scopes() with thread_trees(), samples()
  const ReportMerge& merge() const { return merge_; }
  // Per thread tree of merge().scopes().thread_trees(): the index of its process in merge().processes().
  const std::vector<std::size_t>& thread_processes() const { return thread_processes_; }
  const MemoryStacks& memory_stacks() const { return stacks_; }
  // The same sites with addresses, mappings and their process: pprof and massif.
  const PprofStacks& pprof_stacks() const { return pprof_stacks_; }
  const std::vector<ProcessTimeline>& timelines() const { return timelines_; }
  // The meta of the process `pid` (its first one when pids repeat across hosts), or null.
  const Meta* process(std::int64_t pid) const;
  bool has_scopes() const { return has_scopes_; }
  bool has_memory() const { return has_memory_; }
  bool has_samples() const { return merge_.samples().samples() > 0; }

 private:
  ExportOptions options_;
  ReportMerge merge_;
  std::vector<std::size_t> thread_processes_;
  MemoryStacks stacks_;
  PprofStacks pprof_stacks_;
  std::int64_t addressed_peak_ = -1;  // AddressedStacks::largest_peak: the peak of the process kept
  std::vector<ProcessTimeline> timelines_;
  bool has_scopes_ = false, has_memory_ = false;
};

// A process's peak: its summary's (exact), or its timeline's largest point; -1 without a memory section.
std::int64_t process_peak(const Snapshot& snapshot);

}  // namespace prof::viewer
