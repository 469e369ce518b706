#include "export/speedscope.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include <fmt/format.h>

#include "error.hpp"
#include "export/flame_layout.hpp"
#include "export/json_text.hpp"

namespace prof::viewer {

namespace {

// speedscope's shared frame table: one entry per (name, file, line), shared by every profile.
class FrameTable {
 public:
  std::size_t index(const std::string& name, const std::string& file, std::int64_t line) {
    auto [it, added] = index_.try_emplace(Key{name, file, line}, order_.size());
    if (added) order_.push_back(it);
    return it->second;
  }
  void write(std::ostream& out) const {
    out << "[";
    for (std::size_t i = 0; i < order_.size(); ++i) {
      const auto& [name, file, line] = order_[i]->first;
      out << (i ? ",\n" : "\n") << "{\"name\":" << json_string(name.empty() ? "?" : name);
      if (!file.empty()) out << ",\"file\":" << json_string(file);
      if (line > 0) out << ",\"line\":" << line;
      out << "}";
    }
    out << "]";
  }

 private:
  using Key = std::tuple<std::string, std::string, std::int64_t>;
  std::map<Key, std::size_t> index_;
  std::vector<std::map<Key, std::size_t>::const_iterator> order_;
};

std::string thread_profile_name(const ExportData& data, const ScopeThreadTree& thread) {
  const Meta* meta = data.process(thread.pid);
  auto tid = thread.thread.tid.value_or(thread.thread.id);
  auto who = meta && meta->rank ? fmt::format("rank {} {} (pid {})", *meta->rank, thread.program, thread.pid)
                                : fmt::format("{} (pid {})", thread.program, thread.pid);
  return thread.thread.name.empty() ? fmt::format("{} thread {}", who, tid)
                                    : fmt::format("{} {} ({})", who, thread.thread.name, tid);
}

// The profile's JSON; frames are added to `frames` as they are met.
std::string evented_profile(const std::string& name, const ScopeTree& tree, FrameTable& frames) {
  std::vector<std::size_t> frame_of_site(tree.sites.size());
  for (std::size_t s = 0; s < tree.sites.size(); ++s)
    frame_of_site[s] = frames.index(tree.sites[s].name, tree.sites[s].file, tree.sites[s].line);
  std::string events;
  std::int64_t end = 0;
  for (const auto& span : flame_layout(tree)) {
    auto frame = frame_of_site[tree.nodes[span.node].site];
    auto at = span.open ? span.start_ns : span.end_ns;
    events += fmt::format("{}{{\"type\":\"{}\",\"frame\":{},\"at\":{}}}", events.empty() ? "" : ",",
                          span.open ? 'O' : 'C', frame, at);
    end = std::max(end, span.end_ns);
  }
  return fmt::format(
      R"({{"type":"evented","name":{},"unit":"nanoseconds","startValue":0,"endValue":{},"events":[{}]}})",
      json_string(name), end, events);
}

std::string memory_profile(const ExportData& data, FrameTable& frames) {
  std::string samples, weights;
  std::int64_t total = 0;
  constexpr std::size_t kNone = SIZE_MAX;
  std::vector<std::size_t> shared(data.memory_stacks().frames().size(), kNone);  // ours -> speedscope's
  for (const auto& [stack, counts] : data.memory_stacks().stacks()) {
    auto bytes = view_values(counts, data.options().view).size;
    if (bytes <= 0) continue;
    std::string sample;
    for (auto index : stack) {  // speedscope's stacks run from the root to the leaf, as ours
      if (shared[index] == kNone) {
        const auto& frame = data.memory_stacks().frames()[index];
        shared[index] = frames.index(frame.function, frame.file, frame.line);
      }
      sample += fmt::format("{}{}", sample.empty() ? "" : ",", shared[index]);
    }
    samples += fmt::format("{}[{}]", samples.empty() ? "" : ",", sample);
    weights += fmt::format("{}{}", weights.empty() ? "" : ",", bytes);
    total += bytes;
  }
  static constexpr const char* kViewNames[] = {"peak", "leaks", "allocations", "temporary", "total"};
  auto name = fmt::format("memory: bytes ({})", kViewNames[static_cast<int>(data.options().view)]);
  return fmt::format(
      R"({{"type":"sampled","name":{},"unit":"bytes","startValue":0,"endValue":{},"samples":[{}],"weights":[{}]}})",
      json_string(name), total, samples, weights);
}

// The CPU samples as a sampled profile: one sample per call path that ended there, weighted by its samples.
std::string samples_profile(const SamplesMerge& merged, FrameTable& frames) {
  const auto& tree = merged.tree();
  std::vector<std::string> path(tree.size());  // each node's frame indices, root first
  std::string samples, weights;
  for (std::size_t i = 1; i < tree.size(); ++i) {
    const auto& node = tree[i];
    const auto& function = merged.functions()[node.function];
    auto frame = fmt::format("{}", frames.index(function.name, function.file, 0));
    path[i] = node.parent == 0 ? frame : path[node.parent] + "," + frame;
    if (node.self <= 0) continue;
    samples += fmt::format("{}[{}]", samples.empty() ? "" : ",", path[i]);
    weights += fmt::format("{}{}", weights.empty() ? "" : ",", node.self);
  }
  return fmt::format(
      R"({{"type":"sampled","name":"CPU samples","unit":"none","startValue":0,"endValue":{},"samples":[{}],"weights":[{}]}})",
      tree.empty() ? 0 : tree[0].total, samples, weights);
}

}  // namespace

void write_speedscope(const ExportData& data, std::ostream& out) {
  if (!data.has_scopes() && !data.has_memory() && !data.has_samples())
    throw UserError("--format speedscope", "these snapshots hold no scopes, memory section or CPU samples");
  if (data.options().memory && !data.has_memory())
    throw UserError("--mem", "these snapshots hold no memory section");
  if (data.options().samples && !data.has_samples())
    throw UserError("--samples", "these snapshots hold no CPU samples");
  FrameTable frames;
  std::vector<std::string> profiles;
  // --samples: the samples alone (speedscope opens the first profile); otherwise after the scopes.
  if (data.options().samples) profiles.push_back(samples_profile(data.merge().samples(), frames));
  if (!data.options().memory && !data.options().samples)
    for (const auto& thread : data.merge().scopes().thread_trees())
      if (!thread.tree.nodes.empty())
        profiles.push_back(evented_profile(thread_profile_name(data, thread), thread.tree, frames));
  if (data.has_memory() && !data.options().samples) profiles.push_back(memory_profile(data, frames));
  if (data.has_samples() && !data.options().samples && !data.options().memory)
    profiles.push_back(samples_profile(data.merge().samples(), frames));
  out << R"({"$schema":"https://www.speedscope.app/file-format-schema.json","exporter":"prof export",)"
      << R"("name":"prof export","activeProfileIndex":0,"shared":{"frames":)";
  frames.write(out);
  out << "},\n\"profiles\":[";
  for (std::size_t i = 0; i < profiles.size(); ++i)
    out << (i ? ",\n" : "\n") << profiles[i];
  out << "]}\n";
}

}  // namespace prof::viewer
