#pragma once
// `prof report` merges its snapshots as a stream: each file is read (and symbolised when raw), folded into
// the accumulators below and dropped, so a run of 1024 ranks never has 1024 parsed documents in memory.
// What stays per process is its meta and small sections (timers, mpi, the memory summary).
#include <vector>

#include "merge/memory_merge.hpp"
#include "merge/memory_view.hpp"
#include "merge/samples_merge.hpp"
#include "merge/scope_merge.hpp"
#include "model/snapshot.hpp"
#include "read/snapshot_files.hpp"

namespace prof::viewer {

// What a report keeps of a process: meta, timers, mpi and the memory summary (no sites, tables or strings).
Snapshot process_summary(const Snapshot& snapshot);

class ReportMerge {
 public:
  // A section that will not be shown is not merged.
  // `threads`: keep each thread's tree too (--threads).
  ReportMerge(ScopeTimes times, bool threads, bool scopes, const MemoryReportOptions& memory,
              bool with_memory)
      : scopes_(times, threads), memory_(memory), with_scopes_(scopes), with_memory_(with_memory) {}
  void add(const Snapshot& snapshot);
  void finish() { scopes_.finish(); }

  const std::vector<Snapshot>& processes() const { return processes_; }
  const ScopeMerge& scopes() const { return scopes_; }
  const MemoryMerge& memory() const { return memory_; }
  const SamplesMerge& samples() const { return samples_; }

 private:
  std::vector<Snapshot> processes_;
  ScopeMerge scopes_;
  MemoryMerge memory_;
  SamplesMerge samples_;  // small (one row per function): always folded
  bool with_scopes_, with_memory_;
};

// Reads, symbolises and folds each file in turn, then finishes the merge.
void merge_files(const std::vector<SnapshotFile>& files, ReportMerge& merge);

// One run named by PATH (a snapshot file or a run directory), its files chosen and folded as prof report
// does: prof diff reads OLD and NEW this way, so it holds two sets of accumulators, never the documents.
ReportMerge merge_run(const std::string& path, ScopeTimes times, bool threads, bool scopes,
                      const MemoryReportOptions& memory, bool with_memory);

}  // namespace prof::viewer
