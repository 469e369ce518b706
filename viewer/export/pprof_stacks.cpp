#include "export/pprof_stacks.hpp"

#include <algorithm>

namespace prof::viewer {

std::int64_t PprofStacks::mapping_index(const Module& module) {
  auto key = std::make_pair(module.path, module.build_id);
  auto found = mapping_of_.find(key);
  if (found != mapping_of_.end()) return static_cast<std::int64_t>(found->second);
  auto start = static_cast<std::uint64_t>(module.base);
  mappings_.push_back({module.path, module.build_id, start, start + static_cast<std::uint64_t>(module.size)});
  mapping_of_.emplace(std::move(key), mappings_.size() - 1);
  return static_cast<std::int64_t>(mappings_.size() - 1);
}

std::uint32_t PprofStacks::location_index(PprofLocation location) {
  auto found = location_of_.find(location);
  if (found != location_of_.end()) return found->second;
  auto index = static_cast<std::uint32_t>(locations_.size());
  locations_.push_back(location);
  location_of_.emplace(std::move(location), index);
  return index;
}

void PprofStacks::add(const Snapshot& snapshot) {
  if (!snapshot.memory) return;
  PprofProcess process{snapshot.meta.rank, snapshot.meta.pid};
  if (std::find(processes_.begin(), processes_.end(), process) == processes_.end())
    processes_.push_back(process);
  // A stack's locations are computed once, however many sites share it.
  std::map<std::uint32_t, std::vector<std::uint32_t>> locations_of_stack;
  for (const auto& site : snapshot.memory->sites) {
    auto [it, fresh] = locations_of_stack.try_emplace(site.stack);
    if (fresh) {
      auto frames = snapshot.stacks[site.stack];
      std::size_t first = 0;
      // The allocator's own frames (malloc, operator new, std::allocator) are left out as in prof report
      // and Go's heap profiles, so pprof's flat column names the code that asked for the memory.
      if (!keep_system_frames_)
        while (first + 1 < frames.size() && is_system_frame(snapshot, snapshot.frames[frames[first]]))
          ++first;
      PprofLocation location;
      for (std::size_t i = first; i < frames.size(); ++i) {
        const auto& frame = snapshot.frames[frames[i]];
        if (frame.function != 0 || frame.file != 0)
          location.lines.push_back(
              {snapshot.string(frame.function), snapshot.string(frame.file), frame.line});
        // An inlined frame shares its address with the next frame outwards: one location holds both.
        if (frame.inlined && i + 1 < frames.size()) continue;
        if (frame.module >= 0) {
          const auto& module = snapshot.modules[static_cast<std::size_t>(frame.module)];
          location.mapping = mapping_index(module);
          location.address = mappings_[static_cast<std::size_t>(location.mapping)].start +
                             static_cast<std::uint64_t>(frame.offset);
        }
        it->second.push_back(location_index(std::move(location)));
        location = {};
      }
    }
    samples_[{it->second, process}].add(site);
  }
}

}  // namespace prof::viewer
