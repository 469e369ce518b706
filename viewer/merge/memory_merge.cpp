#include "merge/memory_merge.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "model/describe_frame.hpp"
#include "units.hpp"

namespace prof::viewer {

namespace {

std::string location(const Snapshot& snapshot, std::uint32_t index) {
  const auto& frame = snapshot.frames[index];
  const auto& file = snapshot.string(frame.file);
  if (file.empty()) return describe_frame(snapshot, index);
  return frame.line ? fmt::format("{}:{}", file, frame.line) : file;
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

MemorySummary summary_of_site(const MemorySite& site) {
  MemorySummary from_site;
  from_site.allocations = site.allocations;
  from_site.allocated_bytes = site.allocated_bytes;
  from_site.leaked_allocations = site.leaked_allocations;
  from_site.leaked_bytes = site.leaked_bytes;
  from_site.temporary_allocations = site.temporary_allocations;
  return from_site;
}

}  // namespace

void MemoryMerge::add(const Snapshot& snapshot) {
  if (!snapshot.memory) return;
  const auto& memory = *snapshot.memory;
  const auto ordinal = members_.size();
  members_.push_back(label_of(snapshot.meta));
  if (memory.summary) {
    add_summary(summary_, *memory.summary);
    peak_wall_seconds_ = memory.summary->peak_wall_seconds;
  } else {
    for (const auto& site : memory.sites)
      add_summary(summary_, summary_of_site(site));
  }
  if (options_.timeline && !memory.timeline.empty()) {
    auto peak = memory.summary ? std::optional(memory.summary->peak_bytes) : std::nullopt;
    if (!have_timeline_ || (peak && timeline_peak_ && *peak > *timeline_peak_)) {
      timeline_ = memory.timeline;
      timeline_peak_ = peak;
      have_timeline_ = true;
    }
  }
  add_sites(snapshot, ordinal);
}

// The group of a site whose own frames (system frames skipped) are `user`, innermost first; made on first
// sight, from that site's frames, as tracemalloc's statistics() would key it.
std::size_t MemoryMerge::group_for(const Snapshot& snapshot, const std::vector<std::uint32_t>& user) {
  MemoryGroup group;
  if (!user.empty()) {
    const auto& frame = snapshot.frames[user[0]];
    group.file = snapshot.string(frame.file);
    group.line = frame.line;
    group.function = snapshot.string(frame.function);
    if (group.function.empty() && group.file.empty()) group.function = describe_frame(snapshot, user[0]);
  }
  switch (options_.by) {
    case MemoryKey::line:
      group.key = user.empty() ? "?" : location(snapshot, user[0]);
      break;
    case MemoryKey::function:
      group.key = group.function.empty() ? "?" : group.function;
      group.file.clear();
      group.line = 0;
      break;
    case MemoryKey::file:
      group.key = group.file.empty() ? (user.empty() ? "?" : location(snapshot, user[0])) : group.file;
      group.line = 0;
      group.function.clear();
      break;
    case MemoryKey::traceback: {
      std::vector<std::string> all;
      for (auto frame : user)
        all.push_back(location(snapshot, frame));
      group.traceback = all.empty() ? "?" : fmt::format("{}", fmt::join(all, " < "));
      group.key = group.traceback;
      break;
    }
  }
  auto [it, added] = group_of_.emplace(group.key, groups_.size());
  if (added) {
    groups_.push_back(std::move(group));
    spreads_.emplace_back();
  }
  return it->second;
}

void MemoryMerge::add_sites(const Snapshot& snapshot, std::size_t ordinal) {
  const auto& frames = snapshot.frames;
  // Per frame of this snapshot, worked out once: 10 000 sites share a few thousand frames.
  std::vector<char> system(frames.size(), 0);
  if (!options_.keep_system_frames)
    for (std::size_t f = 0; f < frames.size(); ++f)
      system[f] = is_system_frame(snapshot, frames[f]) ? 1 : 0;
  constexpr std::size_t kUnknown = static_cast<std::size_t>(-1);
  std::vector<std::size_t> group_of_frame(frames.size(), kUnknown);  // line, function and file keys
  std::size_t no_frame_group = kUnknown;
  std::vector<std::string> described(options_.tree ? frames.size() : 0);
  std::vector<MemoryCounts> own;  // this process's counts per group
  std::vector<char> in_own;
  std::vector<std::size_t> touched;
  // Sites sharing a stack share its group and callers' chain: their counts are summed per stack first, so the
  // frames of a stack are walked once however many sites name it (a crafted file: one stack of depth 40 000
  // shared by 40 000 sites was quadratic in time, and in memory with --tree).
  std::vector<std::uint32_t> stack_order;  // distinct stacks, first seen first: groups keep their order
  std::unordered_map<std::uint32_t, MemoryCounts> per_stack;
  for (const auto& site : snapshot.memory->sites) {
    auto [it, added] = per_stack.try_emplace(site.stack);
    if (added) stack_order.push_back(site.stack);
    it->second.add(site);
  }
  stacks_walked_ += stack_order.size();
  std::vector<std::uint32_t> user;
  for (auto stack_index : stack_order) {
    const auto& site = per_stack[stack_index];
    auto stack = snapshot.stacks[stack_index];
    user.clear();
    for (auto frame : stack)
      if (!system[frame]) user.push_back(frame);
    // All system (an allocation made by the runtime itself): charge it to where it happened.
    if (user.empty() && !stack.empty()) user.push_back(stack[0]);
    std::size_t index;
    if (options_.by == MemoryKey::traceback)
      index = group_for(snapshot, user);
    else if (user.empty())
      index = no_frame_group != kUnknown ? no_frame_group : (no_frame_group = group_for(snapshot, user));
    else if (group_of_frame[user[0]] != kUnknown)
      index = group_of_frame[user[0]];
    else
      index = group_of_frame[user[0]] = group_for(snapshot, user);
    auto& group = groups_[index];
    group.counts.add(site);
    if (options_.tree) {
      std::vector<std::string> chain;
      if (options_.by != MemoryKey::traceback)
        for (std::size_t i = 1; i < user.size(); ++i) {
          if (described[user[i]].empty()) described[user[i]] = describe_frame(snapshot, user[i]);
          chain.push_back(described[user[i]]);
        }
      group.callers[chain].add(site);
    }
    if (own.size() <= index) {
      own.resize(groups_.size());
      in_own.resize(groups_.size(), 0);
    }
    if (!in_own[index]) {
      in_own[index] = 1;
      touched.push_back(index);
    }
    own[index].add(site);
  }
  std::sort(touched.begin(), touched.end());
  const bool by_count = options_.view == MemoryView::allocations || options_.view == MemoryView::temporary;
  for (auto index : touched) {
    auto v = view_values(own[index], options_.view);
    spreads_[index].add(ordinal, static_cast<double>(by_count ? v.count : v.size));
  }
}

}  // namespace prof::viewer
