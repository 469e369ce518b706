#include "export/pprof_stacks.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace prof::viewer {

std::uint32_t PprofStacks::intern_string(const std::string& text) {
  auto [it, fresh] = string_of_.try_emplace(text, static_cast<std::uint32_t>(strings_.size()));
  if (fresh) strings_.push_back(text);
  return it->second;
}

std::uint32_t PprofStacks::intern_stack(const std::vector<std::uint32_t>& locations) {
  std::uint64_t mixed = 14695981039346656037ull;  // FNV-1a a value at a time, then murmur's finaliser
  for (auto value : locations)
    mixed = (mixed ^ value) * 1099511628211ull;
  mixed ^= mixed >> 33;
  mixed *= 0xff51afd7ed558ccdull;
  mixed ^= mixed >> 33;
  const auto hash = static_cast<std::uint32_t>(mixed);
  // At most half full: probes stay short.
  if ((stacks_.size() + 1) * 2 > stack_slots_.size()) {
    std::vector<StackSlot> grown(std::max<std::size_t>(1024, stack_slots_.size() * 2));
    for (const auto& slot : stack_slots_) {
      if (slot.stack_plus_one == 0) continue;
      auto at = slot.hash & (grown.size() - 1);
      while (grown[at].stack_plus_one != 0)
        at = (at + 1) & (grown.size() - 1);
      grown[at] = slot;
    }
    stack_slots_ = std::move(grown);
  }
  const auto mask = stack_slots_.size() - 1;
  for (auto at = hash & mask;; at = (at + 1) & mask) {
    auto& slot = stack_slots_[at];
    if (slot.stack_plus_one == 0) {
      for (auto location : locations)
        stacks_.add_frame(location);
      stacks_.end_stack();
      slot = {static_cast<std::uint32_t>(stacks_.size()), hash};
      return slot.stack_plus_one - 1;
    }
    if (slot.hash != hash) continue;
    auto known = stacks_[slot.stack_plus_one - 1];
    if (std::equal(known.begin(), known.end(), locations.begin(), locations.end()))
      return slot.stack_plus_one - 1;
  }
}

// The stack's locations, innermost first. The snapshot's strings, modules and frames are translated once
// each (the caches below), so a rank whose stacks are all known costs a few lookups of integers per frame.
const std::vector<std::uint32_t>& PprofStacks::stack_locations(const Snapshot& snapshot,
                                                               std::uint32_t stack) {
  auto string_id = [&](std::uint32_t index) {
    auto& id = string_id_[index];
    if (id < 0) id = intern_string(snapshot.string(index));
    return static_cast<std::uint32_t>(id);
  };
  auto frames = snapshot.stacks[stack];
  std::size_t first = 0;
  // The allocator's own frames (malloc, operator new, std::allocator) are left out as in prof report and
  // Go's heap profiles, so pprof's flat column names the code that asked for the memory.
  if (!keep_system_frames_)
    while (first + 1 < frames.size()) {
      auto& system = system_[frames[first]];
      if (system < 0) system = is_system_frame(snapshot, snapshot.frames[frames[first]]) ? 1 : 0;
      if (system == 0) break;
      ++first;
    }
  auto& out = locations_scratch_;  // reused: ten million stacks for 1024 ranks
  out.clear();
  auto& key = location_key_;
  auto& lines = lines_scratch_;
  lines.clear();
  std::size_t run = first;  // where the current location's frames start
  for (std::size_t i = first; i < frames.size(); ++i) {
    const auto& frame = snapshot.frames[frames[i]];
    // A frame that is a location by itself (nothing inlined into it) is translated once per snapshot.
    bool alone = run == i && !(frame.inlined && i + 1 < frames.size());
    if (alone && location_id_[frames[i]] >= 0) {
      out.push_back(static_cast<std::uint32_t>(location_id_[frames[i]]));
      run = i + 1;
      continue;
    }
    if (frame.function != 0 || frame.file != 0) {
      auto& line = line_id_[frames[i]];
      if (line < 0) {
        line_key_.assign({string_id(frame.function), string_id(frame.file), frame.line});
        auto [it, fresh] = line_of_.try_emplace(line_key_, static_cast<std::uint32_t>(lines_.size()));
        if (fresh)
          lines_.push_back({snapshot.string(frame.function), snapshot.string(frame.file), frame.line});
        line = it->second;
      }
      lines.push_back(static_cast<std::uint32_t>(line));
    }
    // An inlined frame shares its address with the next frame outwards: one location holds both.
    if (frame.inlined && i + 1 < frames.size()) continue;
    PprofLocation location;
    if (frame.module >= 0) {
      auto& mapping = mapping_id_[static_cast<std::size_t>(frame.module)];
      if (mapping < 0) {
        const auto& module = snapshot.modules[static_cast<std::size_t>(frame.module)];
        auto [it, fresh] = mapping_of_.try_emplace({module.path, module.build_id}, mappings_.size());
        if (fresh) {
          auto start = static_cast<std::uint64_t>(module.base);
          mappings_.push_back(
              {module.path, module.build_id, start, start + static_cast<std::uint64_t>(module.size)});
        }
        mapping = static_cast<std::int64_t>(it->second);
      }
      location.mapping = mapping;
      location.address =
          mappings_[static_cast<std::size_t>(mapping)].start + static_cast<std::uint64_t>(frame.offset);
    }
    key.assign({static_cast<std::uint64_t>(location.mapping + 1), location.address});
    key.insert(key.end(), lines.begin(), lines.end());
    auto [it, fresh] = location_of_.try_emplace(key, static_cast<std::uint32_t>(locations_.size()));
    if (fresh) {
      location.lines = lines;
      locations_.push_back(std::move(location));
    }
    out.push_back(it->second);
    if (alone) location_id_[frames[i]] = it->second;
    lines.clear();
    run = i + 1;
  }
  return out;
}

void PprofStacks::add(const Snapshot& snapshot, std::vector<PprofSample>& samples) {
  if (!snapshot.memory) return;
  PprofProcess process{snapshot.meta.rank, snapshot.meta.pid};
  auto found = std::find(processes_.begin(), processes_.end(), process);
  auto process_index = static_cast<std::uint32_t>(found - processes_.begin());
  if (found == processes_.end()) processes_.push_back(process);

  string_id_.assign(snapshot.strings.size(), -1);
  mapping_id_.assign(snapshot.modules.size(), -1);
  line_id_.assign(snapshot.frames.size(), -1);
  location_id_.assign(snapshot.frames.size(), -1);
  system_.assign(snapshot.frames.size(), -1);
  // The snapshot's stack -> its sample in `samples`, so sites sharing a stack share a sample.
  constexpr std::size_t kNone = SIZE_MAX;
  std::vector<std::size_t> sample_of_stack(snapshot.stacks.size(), kNone);
  for (const auto& site : snapshot.memory->sites) {
    auto& at = sample_of_stack[site.stack];
    if (at == kNone) {
      at = samples.size();
      samples.push_back({intern_stack(stack_locations(snapshot, site.stack)), process_index, {}});
    }
    samples[at].counts.add(site);
  }
}

}  // namespace prof::viewer
