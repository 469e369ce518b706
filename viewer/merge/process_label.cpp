#include "merge/process_label.hpp"

#include <set>

namespace prof::viewer {

ProcessLabel label_of(const Meta& meta) {
  return {meta.rank, meta.pid, meta.ppid};
}

std::vector<bool> parents_of(const std::vector<ProcessLabel>& members) {
  std::set<std::int64_t> parent_pids;
  for (const auto& member : members)
    parent_pids.insert(member.ppid);
  std::vector<bool> parent;
  parent.reserve(members.size());
  for (const auto& member : members)
    parent.push_back(parent_pids.count(member.pid) > 0);
  return parent;
}

}  // namespace prof::viewer
