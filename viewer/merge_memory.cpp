#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "aggregate.hpp"
#include "units.hpp"

namespace prof::viewer {

std::string describe_frame(const Snapshot& snapshot, std::uint32_t index) {
  const auto& frame = snapshot.frames[index];
  const auto& function = snapshot.string(frame.function);
  const auto& file = snapshot.string(frame.file);
  std::string where;
  if (!file.empty()) where = frame.line ? fmt::format("{}:{}", file, frame.line) : file;
  if (!function.empty()) return where.empty() ? function : function + " " + where;
  if (!where.empty()) return where;
  if (frame.module >= 0) {
    const auto& path = snapshot.modules[static_cast<std::size_t>(frame.module)].path;
    auto slash = path.rfind('/');
    return fmt::format("{}+{:#x}", slash == std::string::npos ? path : path.substr(slash + 1), frame.offset);
  }
  return fmt::format("{:#x}", frame.offset);
}

namespace {

struct StackHash {
  std::size_t operator()(const std::vector<std::uint32_t>& stack) const noexcept {
    std::size_t hash = stack.size();
    for (auto frame : stack)
      hash = (hash ^ frame) * 0x100000001b3ULL;
    return hash;
  }
};

// A frame's identity across processes: what it names, not its index in one snapshot's table.
std::string frame_identity(const Snapshot& snapshot, const Frame& frame) {
  std::string module = frame.module >= 0 ? snapshot.modules[static_cast<std::size_t>(frame.module)].path : "";
  return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", snapshot.string(frame.function),
                     snapshot.string(frame.file), frame.line, module, frame.offset);
}

void add_site(MergedMemorySite& row, const MemorySite& site) {
  row.allocations = add_saturating(row.allocations, site.allocations);
  row.allocated_bytes = add_saturating(row.allocated_bytes, site.allocated_bytes);
  row.peak_bytes = add_saturating(row.peak_bytes, site.peak_bytes);
  row.leaked_allocations = add_saturating(row.leaked_allocations, site.leaked_allocations);
  row.leaked_bytes = add_saturating(row.leaked_bytes, site.leaked_bytes);
  row.temporary_allocations = add_saturating(row.temporary_allocations, site.temporary_allocations);
}

void add_summary(MemorySummary& total, const MemorySummary& summary) {
  total.allocations = add_saturating(total.allocations, summary.allocations);
  total.allocated_bytes = add_saturating(total.allocated_bytes, summary.allocated_bytes);
  total.peak_bytes = add_saturating(total.peak_bytes, summary.peak_bytes);
  total.leaked_allocations = add_saturating(total.leaked_allocations, summary.leaked_allocations);
  total.leaked_bytes = add_saturating(total.leaked_bytes, summary.leaked_bytes);
  auto add_optional = [](std::optional<std::int64_t>& sum, const std::optional<std::int64_t>& value) {
    if (value) sum = add_saturating(sum.value_or(0), *value);
  };
  add_optional(total.temporary_allocations, summary.temporary_allocations);
  add_optional(total.tracer_bytes, summary.tracer_bytes);
}

}  // namespace

MergedMemory merge_memory(const std::vector<Snapshot>& snapshots) {
  MergedMemory merged;
  std::unordered_map<std::string, std::uint32_t> frame_ids;
  std::unordered_map<std::vector<std::uint32_t>, std::size_t, StackHash> row_of_stack;
  for (const auto& snapshot : snapshots) {
    if (!snapshot.memory) continue;
    ++merged.processes;
    const auto& memory = *snapshot.memory;
    if (memory.summary) add_summary(merged.summary, *memory.summary);
    std::vector<std::uint32_t> global_frame;
    global_frame.reserve(snapshot.frames.size());
    for (const auto& frame : snapshot.frames)
      global_frame.push_back(
          frame_ids.emplace(frame_identity(snapshot, frame), static_cast<std::uint32_t>(frame_ids.size()))
              .first->second);
    for (const auto& site : memory.sites) {
      auto stack = snapshot.stacks[site.stack];
      std::vector<std::uint32_t> key;
      key.reserve(stack.size());
      for (auto frame : stack)
        key.push_back(global_frame[frame]);
      auto [it, added] = row_of_stack.emplace(std::move(key), merged.sites.size());
      if (added)
        merged.sites.push_back({stack.empty() ? std::string("?") : describe_frame(snapshot, stack[0])});
      add_site(merged.sites[it->second], site);
    }
    if (!memory.summary) {
      for (const auto& site : memory.sites) {
        MemorySummary from_site;
        from_site.allocations = site.allocations;
        from_site.allocated_bytes = site.allocated_bytes;
        from_site.leaked_allocations = site.leaked_allocations;
        from_site.leaked_bytes = site.leaked_bytes;
        from_site.temporary_allocations = site.temporary_allocations;
        add_summary(merged.summary, from_site);
      }
    }
  }
  return merged;
}

}  // namespace prof::viewer
