#pragma once
// The memory sections of many processes folded one snapshot at a time (prof report streams its snapshots):
// the summed summary, the sites grouped by the chosen key, each group's figure per process for the "across
// N ranks" table, and the timeline --timeline shows. Nothing here points into a snapshot.
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "merge/memory_grouping.hpp"
#include "merge/memory_view.hpp"
#include "merge/process_label.hpp"
#include "merge/spread.hpp"
#include "model/snapshot.hpp"

namespace prof::viewer {

class MemoryMerge {
 public:
  explicit MemoryMerge(const MemoryReportOptions& options) : options_(options) {}
  void add(const Snapshot& snapshot);

  std::size_t processes() const { return members_.size(); }
  const MemorySummary& summary() const { return summary_; }
  std::optional<double> peak_wall_seconds() const { return peak_wall_seconds_; }  // of the last process
  const std::vector<MemoryGroup>& groups() const { return groups_; }
  // Per group (same index): the view's figure (bytes, or a count for allocations and temporary) per process.
  const std::vector<Spread>& spreads() const { return spreads_; }
  const std::vector<ProcessLabel>& members() const { return members_; }
  // One process: its series. Several: each one's series side by side is not a sum; the largest peak's.
  const std::vector<MemoryPoint>& timeline() const { return timeline_; }
  // Distinct stacks whose frames were walked, over all processes: the work grows with the stacks, not with
  // the sites that share them.
  std::size_t stacks_walked() const { return stacks_walked_; }
  // Leaks whose stack holds one of the runtime's one-time allocators (heaptrack's suppressions): left out
  // of the summary's and the sites' leaked counts, shown apart.
  const MemoryCounts& suppressed() const { return suppressed_; }
  // Processes whose figures are estimates (sampled mode), and the mean interval of the last of them.
  std::size_t sampled_processes() const { return sampled_processes_; }
  std::optional<std::int64_t> sample_interval_bytes() const { return sample_interval_bytes_; }

 private:
  void add_sites(const Snapshot& snapshot, std::size_t ordinal);
  std::size_t group_for(const Snapshot& snapshot, const std::vector<std::uint32_t>& user);
  std::size_t named_group(const std::string& name);
  static std::string fallback_key(const Snapshot& snapshot, std::span<const std::uint32_t> stack);

  MemoryReportOptions options_;
  MemorySummary summary_;
  std::optional<double> peak_wall_seconds_;
  std::vector<MemoryGroup> groups_;
  std::unordered_map<std::string, std::size_t> group_of_;
  std::vector<Spread> spreads_;
  std::vector<ProcessLabel> members_;
  std::vector<MemoryPoint> timeline_;
  std::optional<std::int64_t> timeline_peak_;
  std::size_t stacks_walked_ = 0;
  MemoryCounts suppressed_;
  bool have_timeline_ = false;
  std::size_t sampled_processes_ = 0;
  std::optional<std::int64_t> sample_interval_bytes_;
};

}  // namespace prof::viewer
