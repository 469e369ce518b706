#include "merge/report_merge.hpp"

#include "read/snapshot_reader.hpp"
#include "symbolise/symbolised_file.hpp"

namespace prof::viewer {

Snapshot process_summary(const Snapshot& snapshot) {
  Snapshot summary;
  summary.path = snapshot.path;
  summary.version = snapshot.version;
  summary.meta = snapshot.meta;
  summary.timers = snapshot.timers;
  summary.mpi = snapshot.mpi;
  summary.symbolised = snapshot.symbolised;
  if (snapshot.memory)
    summary.memory = Memory{.summary = snapshot.memory->summary, .sites = {}, .timeline = {}};
  return summary;
}

void ReportMerge::add(const Snapshot& snapshot) {
  processes_.push_back(process_summary(snapshot));
  if (with_scopes_) scopes_.add(snapshot);
  if (with_memory_) memory_.add(snapshot);
  samples_.add(snapshot);
}

void merge_files(const std::vector<SnapshotFile>& files, ReportMerge& merge) {
  for (const auto& file : files) {
    auto snapshot = read_snapshot_file(file.path);
    symbolise_loaded(snapshot);
    merge.add(snapshot);
  }
  merge.finish();
}

ReportMerge merge_run(const std::string& path, ScopeTimes times, bool threads, bool scopes,
                      const MemoryReportOptions& memory, bool with_memory) {
  ReportMerge merge(times, threads, scopes, memory, with_memory);
  merge_files(list_snapshot_files({path}), merge);
  return merge;
}

}  // namespace prof::viewer
