// The processes table as a tree: a fork pool shows its workers below the pool's parent.
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "merge/run_totals.hpp"
#include "report/processes/process_tree.hpp"

namespace prof::viewer {

std::vector<ProcessPlace> process_tree_order(const std::vector<Snapshot>& processes) {
  std::vector<std::size_t> order(processes.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    double x = parse_utc_time(processes[a].meta.start_time), y = parse_utc_time(processes[b].meta.start_time);
    if (!std::isnan(x) && !std::isnan(y) && x != y) return x < y;
    return processes[a].meta.pid < processes[b].meta.pid;
  });
  // pids are only unique on one host.
  std::map<std::pair<std::string, std::int64_t>, std::size_t> by_pid;
  for (auto i : order)
    by_pid.emplace(std::pair(processes[i].meta.host, processes[i].meta.pid), i);
  std::vector<std::vector<std::size_t>> children(processes.size());
  std::vector<bool> has_parent(processes.size(), false);
  for (auto i : order) {
    const auto& meta = processes[i].meta;
    auto parent = by_pid.find({meta.host, meta.ppid});
    if (parent == by_pid.end() || parent->second == i) continue;
    children[parent->second].push_back(i);
    has_parent[i] = true;
  }
  std::vector<ProcessPlace> places;
  std::vector<bool> placed(processes.size(), false);
  auto visit = [&](std::size_t root) {
    std::vector<ProcessPlace> work{{root, 0}};  // iterative: an untrusted file cannot overflow the stack
    while (!work.empty()) {
      auto place = work.back();
      work.pop_back();
      if (placed[place.index]) continue;  // a cycle of ppids (pid reuse, or a made-up file)
      placed[place.index] = true;
      places.push_back(place);
      const auto& below = children[place.index];
      for (auto it = below.rbegin(); it != below.rend(); ++it)
        work.push_back({*it, place.depth + 1});
    }
  };
  for (auto i : order)
    if (!has_parent[i]) visit(i);
  for (auto i : order)
    if (!placed[i]) visit(i);
  return places;
}

}  // namespace prof::viewer
