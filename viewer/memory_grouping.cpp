#include "memory_grouping.hpp"

#include <array>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "aggregate.hpp"
#include "units.hpp"

namespace prof::viewer {

void MemoryCounts::add(const MemorySite& site) {
  allocations = add_saturating(allocations, site.allocations);
  allocated_bytes = add_saturating(allocated_bytes, site.allocated_bytes);
  peak_bytes = add_saturating(peak_bytes, site.peak_bytes);
  leaked_allocations = add_saturating(leaked_allocations, site.leaked_allocations);
  leaked_bytes = add_saturating(leaked_bytes, site.leaked_bytes);
  temporary_allocations = add_saturating(temporary_allocations, site.temporary_allocations);
}

void MemoryCounts::add(const MemoryCounts& other) {
  allocations = add_saturating(allocations, other.allocations);
  allocated_bytes = add_saturating(allocated_bytes, other.allocated_bytes);
  peak_bytes = add_saturating(peak_bytes, other.peak_bytes);
  leaked_allocations = add_saturating(leaked_allocations, other.leaked_allocations);
  leaked_bytes = add_saturating(leaked_bytes, other.leaked_bytes);
  temporary_allocations = add_saturating(temporary_allocations, other.temporary_allocations);
}

namespace {

std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_system_module(std::string_view path) {
  static constexpr std::array<std::string_view, 9> prefixes{"libc.so",   "libc-",           "libstdc++",
                                                            "libunwind", "libprof_preload", "ld-linux",
                                                            "ld.so",     "libgcc_s",        "libpthread"};
  auto name = base_name(path);
  for (auto prefix : prefixes)
    if (name.starts_with(prefix)) return true;
  return false;
}

std::string location(const Snapshot& snapshot, const Frame& frame) {
  const auto& file = snapshot.string(frame.file);
  if (file.empty())
    return describe_frame(snapshot, static_cast<std::uint32_t>(&frame - snapshot.frames.data()));
  return frame.line ? fmt::format("{}:{}", file, frame.line) : file;
}

}  // namespace

bool is_system_frame(const Snapshot& snapshot, const Frame& frame) {
  const auto& file = snapshot.string(frame.file);
  if (file.starts_with("/usr/include/") || file.starts_with("/usr/lib/gcc/")) return true;
  if (frame.module >= 0 && is_system_module(snapshot.modules[static_cast<std::size_t>(frame.module)].path))
    return true;
  return false;
}

std::vector<MemoryGroup> group_memory_sites(const std::vector<Snapshot>& snapshots, MemoryKey key,
                                            bool keep_system_frames) {
  std::vector<MemoryGroup> groups;
  std::unordered_map<std::string, std::size_t> group_of;
  for (const auto& snapshot : snapshots) {
    if (!snapshot.memory) continue;
    for (const auto& site : snapshot.memory->sites) {
      auto stack = snapshot.stacks[site.stack];
      std::vector<std::uint32_t> user;
      for (auto frame : stack)
        if (keep_system_frames || !is_system_frame(snapshot, snapshot.frames[frame])) user.push_back(frame);
      // All system (an allocation made by the runtime itself): charge it to where it happened.
      if (user.empty() && !stack.empty()) user.push_back(stack[0]);
      MemoryGroup group;
      if (!user.empty()) {
        const auto& frame = snapshot.frames[user[0]];
        group.file = snapshot.string(frame.file);
        group.line = frame.line;
        group.function = snapshot.string(frame.function);
        if (group.function.empty() && group.file.empty()) group.function = describe_frame(snapshot, user[0]);
      }
      std::vector<std::string> chain;
      for (std::size_t i = 1; i < user.size(); ++i)
        chain.push_back(describe_frame(snapshot, user[i]));
      switch (key) {
        case MemoryKey::line:
          group.key = user.empty() ? "?" : location(snapshot, snapshot.frames[user[0]]);
          break;
        case MemoryKey::function:
          group.key = group.function.empty() ? "?" : group.function;
          group.file.clear();
          group.line = 0;
          break;
        case MemoryKey::file:
          group.key = group.file.empty() ? (user.empty() ? "?" : location(snapshot, snapshot.frames[user[0]]))
                                         : group.file;
          group.line = 0;
          group.function.clear();
          break;
        case MemoryKey::traceback: {
          std::vector<std::string> all;
          for (auto frame : user)
            all.push_back(location(snapshot, snapshot.frames[frame]));
          group.traceback = all.empty() ? "?" : fmt::format("{}", fmt::join(all, " < "));
          group.key = group.traceback;
          chain.clear();
          break;
        }
      }
      auto [it, added] = group_of.emplace(group.key, groups.size());
      if (added) groups.push_back(std::move(group));
      auto& target = groups[it->second];
      target.counts.add(site);
      target.callers[chain].add(site);
    }
  }
  return groups;
}

}  // namespace prof::viewer
