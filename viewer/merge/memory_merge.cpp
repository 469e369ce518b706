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

std::string function_name(const Snapshot& snapshot, std::uint32_t index) {
  const auto& function = snapshot.string(snapshot.frames[index].function);
  return function.empty() ? describe_frame(snapshot, index) : function;
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
  add_optional(total.runtime_pool_allocations, summary.runtime_pool_allocations);
  add_optional(total.runtime_pool_bytes, summary.runtime_pool_bytes);
  add_optional(total.samples, summary.samples);
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
    if (memory.summary->sample_interval_bytes) {
      ++sampled_processes_;
      sample_interval_bytes_ = memory.summary->sample_interval_bytes;
    }
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
      // Code with no symbol: one row per module, as the samples' function view (--by line keeps addresses).
      if (!user.empty() && snapshot.string(snapshot.frames[user[0]].function).empty() && group.file.empty() &&
          snapshot.frames[user[0]].module >= 0) {
        const auto& path = snapshot.modules[static_cast<std::size_t>(snapshot.frames[user[0]].module)].path;
        group.function =
            fmt::format("[{}]", path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1));
      }
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

namespace {

std::string module_name(const Snapshot& snapshot, const Frame& frame) {
  if (frame.module < 0) return "?";
  const auto& path = snapshot.modules[static_cast<std::size_t>(frame.module)].path;
  return path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
}

bool is_loader(const std::string& module) {
  return module.starts_with("ld-linux") || module.starts_with("ld.so") || module.starts_with("ld64.so");
}

// A function named F: exactly, without its argument list, or as a part of its name.
bool names_function(const std::string& function, const std::string& wanted) {
  if (wanted.empty() || function.empty()) return false;
  return function == wanted || function.find(wanted) != std::string::npos;
}

}  // namespace

// A stack with no frame of the user's code: charged to `[startup]` when the dynamic linker called it
// (constructors run before main), else to the module that asked for the memory (past the allocator
// entries of libc and the shim). Never to a file the user cannot open, such as glibc's "./elf/dl-init.c".
std::string MemoryMerge::fallback_key(const Snapshot& snapshot, std::span<const std::uint32_t> stack) {
  if (is_loader(module_name(snapshot, snapshot.frames[stack.back()]))) return "[startup]";
  for (auto frame : stack) {
    auto module = module_name(snapshot, snapshot.frames[frame]);
    if (!module.starts_with("libc.so") && !module.starts_with("libc-") &&
        !module.starts_with("libprof_preload"))
      return fmt::format("[{}]", module);
  }
  return fmt::format("[{}]", module_name(snapshot, snapshot.frames[stack.front()]));
}

std::size_t MemoryMerge::named_group(const std::string& name) {
  auto [it, added] = group_of_.emplace(name, groups_.size());
  if (added) {
    MemoryGroup group;
    group.key = name;
    group.function = name;
    if (options_.by == MemoryKey::traceback) group.traceback = name;
    groups_.push_back(std::move(group));
    spreads_.emplace_back();
  }
  return it->second;
}

void MemoryMerge::add_sites(const Snapshot& snapshot, std::size_t ordinal) {
  const auto& frames = snapshot.frames;
  // Per frame of this snapshot, worked out once: 10 000 sites share a few thousand frames.
  std::vector<char> system(frames.size(), 0), runtime_leak(frames.size(), 0), wanted(frames.size(), 0);
  const bool neighbours = options_.neighbours != MemoryReportOptions::Neighbours::none;
  for (std::size_t f = 0; f < frames.size(); ++f) {
    system[f] = (!options_.keep_system_frames && is_system_frame(snapshot, frames[f])) ||
                        filtered_out(snapshot, frames[f], options_.filters)
                    ? 1
                    : 0;
    runtime_leak[f] = is_runtime_leak_function(snapshot.string(frames[f].function)) ? 1 : 0;
    if (neighbours)
      wanted[f] = names_function(snapshot.string(frames[f].function), options_.function) ? 1 : 0;
  }
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
  std::vector<std::size_t> indices;  // the groups one stack is charged to (several with --cumulative)
  MemoryCounts process_suppressed;
  auto group_of = [&](std::uint32_t frame) {
    if (group_of_frame[frame] == kUnknown) group_of_frame[frame] = group_for(snapshot, {frame});
    return group_of_frame[frame];
  };
  auto charge_once = [&](std::size_t index) {
    if (std::find(indices.begin(), indices.end(), index) == indices.end()) indices.push_back(index);
  };
  for (auto stack_index : stack_order) {
    auto site = per_stack[stack_index];
    const auto stack = snapshot.stacks[stack_index];
    // heaptrack's suppressions: the runtime's one-time allocations are counted apart from the leaks.
    if (site.leaked_allocations > 0 || site.leaked_bytes > 0)
      if (std::any_of(stack.begin(), stack.end(), [&](std::uint32_t f) { return runtime_leak[f] != 0; })) {
        process_suppressed.leaked_allocations += site.leaked_allocations;
        process_suppressed.leaked_bytes += site.leaked_bytes;
        site.leaked_allocations = 0;
        site.leaked_bytes = 0;
      }
    user.clear();
    for (auto frame : stack)
      if (!system[frame]) user.push_back(frame);
    indices.clear();
    if (neighbours) {
      const bool callers = options_.neighbours == MemoryReportOptions::Neighbours::callers;
      for (std::size_t i = 0; i < user.size(); ++i) {
        if (!wanted[user[i]]) continue;
        if (callers)
          charge_once(i + 1 < user.size() ? named_group(function_name(snapshot, user[i + 1]))
                                          : named_group("(outermost)"));
        else
          charge_once(i > 0 ? named_group(function_name(snapshot, user[i - 1])) : named_group("(allocates)"));
      }
      if (indices.empty()) continue;  // a stack without F is not in these rows
    } else if (user.empty()) {
      // All system, or all filtered out (an allocation made by the runtime itself).
      if (!stack.empty())
        charge_once(named_group(fallback_key(snapshot, stack)));
      else
        charge_once(no_frame_group != kUnknown ? no_frame_group
                                               : (no_frame_group = group_for(snapshot, user)));
    } else if (options_.by == MemoryKey::traceback) {
      charge_once(group_for(snapshot, user));
    } else if (options_.cumulative) {
      for (auto frame : user)
        charge_once(group_of(frame));
    } else {
      charge_once(group_of(user[0]));
    }
    for (auto index : indices) {
      auto& group = groups_[index];
      group.counts.add(site);
      if (options_.tree) {
        std::vector<std::string> chain;
        if (options_.by != MemoryKey::traceback && !options_.cumulative && !neighbours)
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
  }
  suppressed_.add(process_suppressed);
  summary_.leaked_allocations =
      std::max<std::int64_t>(0, summary_.leaked_allocations - process_suppressed.leaked_allocations);
  summary_.leaked_bytes = std::max<std::int64_t>(0, summary_.leaked_bytes - process_suppressed.leaked_bytes);
  std::sort(touched.begin(), touched.end());
  const bool by_count = options_.view == MemoryView::allocations || options_.view == MemoryView::temporary;
  for (auto index : touched) {
    auto v = view_values(own[index], options_.view);
    spreads_[index].add(ordinal, static_cast<double>(by_count ? v.count : v.size));
  }
}

}  // namespace prof::viewer
