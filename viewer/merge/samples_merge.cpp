#include "merge/samples_merge.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "error.hpp"
#include "model/describe_frame.hpp"

namespace prof::viewer {

SampleKey parse_sample_key(const std::string& name) {
  if (name == "function") return SampleKey::function;
  if (name == "line") return SampleKey::line;
  if (name == "file") return SampleKey::file;
  if (name == "module") return SampleKey::module;
  throw UserError(
      "--by", fmt::format("unknown key \"{}\" for samples (choose function, line, file or module)", name));
}

const char* sample_key_name(SampleKey key) {
  switch (key) {
    case SampleKey::function:
      return "function";
    case SampleKey::line:
      return "line";
    case SampleKey::file:
      return "file";
    case SampleKey::module:
      return "module";
  }
  return "function";
}

std::size_t SampleGroups::of(const std::string& name, const std::string& file) {
  auto [it, added] = index.try_emplace(name, rows.size());
  if (added) rows.push_back({.name = name, .file = file});
  return it->second;
}

// Groups are matched by name across processes: ranks run the same program at different addresses.
SamplesMerge::FrameKeys SamplesMerge::keys_of(const Snapshot& snapshot, std::uint32_t frame) const {
  const Frame& f = snapshot.frames[frame];
  const std::string& function = snapshot.string(f.function);
  const std::string& file = snapshot.string(f.file);
  std::string module;
  if (f.module >= 0) {
    const auto& path = snapshot.modules[static_cast<std::size_t>(f.module)].path;
    const auto slash = path.rfind('/');
    module = slash == std::string::npos ? path : path.substr(slash + 1);
  }
  FrameKeys keys;
  keys.shim = module == "libprof_preload.so";
  const std::string described = describe_frame(snapshot, frame);
  keys.file = file;
  // Code with no symbol: one row per module in the function view, as perf's "[unknown]" in its module (a row
  // per address would scatter it); --by line keeps the addresses.
  keys.name[static_cast<std::size_t>(SampleKey::function)] =
      !function.empty() ? function : (module.empty() ? described : fmt::format("[{}]", module));
  keys.name[static_cast<std::size_t>(SampleKey::line)] =
      !file.empty() && f.line > 0 ? fmt::format("{}:{}", file, f.line) : described;
  keys.name[static_cast<std::size_t>(SampleKey::file)] =
      !file.empty() ? file : (module.empty() ? described : fmt::format("({})", module));
  keys.name[static_cast<std::size_t>(SampleKey::module)] = module.empty() ? std::string("(unknown)") : module;
  return keys;
}

std::size_t SamplesMerge::child_of(std::size_t node, std::size_t function) {
  const std::uint64_t key = (static_cast<std::uint64_t>(node) << 32) ^ function;
  auto [it, added] = child_index_.try_emplace(key, tree_.size());
  if (added) {
    tree_.push_back({.function = function, .parent = node, .total = 0, .self = 0, .children = {}});
    tree_[node].children.push_back(it->second);
  }
  return it->second;
}

void SamplesMerge::add(const Snapshot& snapshot) {
  if (!snapshot.samples) return;
  const Samples& samples = *snapshot.samples;
  const std::size_t ordinal = members_.size();
  members_.push_back(label_of(snapshot.meta));
  if (ordinal == 0) {
    hz_ = samples.hz;
    clock_ = samples.clock;
  } else if (clock_ != samples.clock) {
    clock_ = "mixed";
  }
  dropped_ += samples.dropped;

  // This process's threads, by id; names from the section's threads table.
  std::unordered_map<std::int64_t, std::size_t> thread_index;
  auto thread_of = [&](std::int64_t tid) -> SampledThreadSummary& {
    auto [it, added] = thread_index.try_emplace(tid, threads_.size());
    if (added) {
      SampledThreadSummary thread;
      thread.rank = snapshot.meta.rank;
      thread.pid = snapshot.meta.pid;
      thread.program = snapshot.meta.program;
      thread.tid = tid;
      for (const auto& named : samples.threads)
        if (named.tid == tid) thread.name = named.name;
      threads_.push_back(std::move(thread));
    }
    return threads_[it->second];
  };

  // Each group's total seconds in this process, for the across table.
  std::array<std::vector<double>, kSampleKeys> here;
  std::vector<const FrameKeys*> keys;
  std::vector<FrameKeys> cache(snapshot.frames.size());  // frames are shared by many stacks: named once
  std::vector<bool> cached(snapshot.frames.size(), false);
  std::array<std::vector<std::size_t>, kSampleKeys> seen;  // groups already counted in this stack's total
  std::unordered_map<std::size_t, std::size_t>
      own_self;  // node -> its entry of this process in self_by_process_
  for (const auto& stack : samples.stacks) {
    const auto frames = snapshot.stacks[stack.stack];
    if (frames.empty() || stack.samples <= 0) continue;
    const std::int64_t n = stack.samples;
    const std::int64_t waiting = stack.waiting ? n : 0;
    const double seconds = static_cast<double>(n) * samples.period_seconds;
    samples_ += n;
    waiting_ += waiting;
    seconds_ += seconds;
    keys.clear();
    for (std::uint32_t frame : frames) {
      if (!cached[frame]) {
        cache[frame] = keys_of(snapshot, frame);
        cached[frame] = true;
      }
      // The shim's frames between the program and libc (its wrappers of blocking calls) are prof's, not the
      // program's: left out. An innermost one stays: that time was spent in prof.
      if (cache[frame].shim && !keys.empty()) continue;
      keys.push_back(&cache[frame]);
    }

    auto& thread = thread_of(stack.thread);
    thread.samples += n;
    thread.waiting += waiting;
    for (std::size_t k = 0; k < kSampleKeys; ++k) {
      seen[k].clear();
      for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::size_t g = groups_[k].of(keys[i]->name[k], keys[i]->file);
        const std::size_t t = thread.groups[k].of(keys[i]->name[k], keys[i]->file);
        if (i == 0) {
          for (SampleGroup* row : {&groups_[k].rows[g], &thread.groups[k].rows[t]}) {
            row->self += n;
            row->waiting_self += waiting;
            row->self_seconds += seconds;
          }
        }
        if (std::find(seen[k].begin(), seen[k].end(), g) != seen[k].end()) continue;
        seen[k].push_back(g);
        for (SampleGroup* row : {&groups_[k].rows[g], &thread.groups[k].rows[t]}) {
          row->total += n;
          row->waiting_total += waiting;
          row->total_seconds += seconds;
        }
        if (here[k].size() <= g) here[k].resize(g + 1, 0.0);
        here[k][g] += seconds;
      }
    }

    // The call tree, by function, outermost frame first.
    std::size_t node = 0;
    tree_[0].total += n;
    for (std::size_t i = keys.size(); i-- > 0;) {
      const std::size_t function = groups_[0].index.at(keys[i]->name[0]);
      node = child_of(node, function);
      tree_[node].total += n;
      if (i == 0) {
        tree_[node].self += n;
        auto [entry, added] = own_self.try_emplace(node, self_by_process_.size());
        if (added) self_by_process_.push_back({.node = node, .process = ordinal, .self = 0});
        self_by_process_[entry->second].self += n;
      }
    }
  }
  for (std::size_t k = 0; k < kSampleKeys; ++k) {
    spreads_[k].resize(groups_[k].rows.size());
    for (std::size_t g = 0; g < here[k].size(); ++g)
      if (here[k][g] > 0) spreads_[k][g].add(ordinal, here[k][g]);
  }
}

}  // namespace prof::viewer
