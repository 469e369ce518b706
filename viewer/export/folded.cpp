#include "export/folded.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "error.hpp"

namespace prof::viewer {

std::string folded_frame(std::string name) {
  std::replace(name.begin(), name.end(), ';', ':');
  std::replace(name.begin(), name.end(), '\n', ' ');
  std::replace(name.begin(), name.end(), '\r', ' ');
  return name.empty() ? "?" : name;
}

namespace {

void write_scopes(const ScopeTree& tree, std::ostream& out) {
  // Each node's path, built from its parent's (parents come before children).
  std::vector<std::string> path(tree.nodes.size());
  for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
    const auto& node = tree.nodes[i];
    auto frame = folded_frame(tree.sites[node.site].name);
    path[i] = node.parent < 0 ? frame : path[static_cast<std::size_t>(node.parent)] + ";" + frame;
    if (node.self_ns > 0) out << path[i] << ' ' << node.self_ns << '\n';
  }
}

void write_memory(const ExportData& data, std::ostream& out) {
  // Stacks that differ only in lines (two calls from one function) are one path of names here: summed by
  // their names' indices, and spelt out only when written (20 000 paths of 1024 ranks held as text were
  // most of the export's memory).
  std::vector<std::string> names;
  std::unordered_map<std::string, std::uint32_t> name_index;
  std::vector<std::uint32_t> name_of_frame;
  for (const auto& frame : data.memory_stacks().frames()) {
    auto name = folded_frame(frame.function);
    auto [it, added] = name_index.try_emplace(name, static_cast<std::uint32_t>(names.size()));
    if (added) names.push_back(std::move(name));
    name_of_frame.push_back(it->second);
  }
  std::map<std::vector<std::uint32_t>, std::int64_t> bytes_of_path;
  std::vector<std::uint32_t> path;
  for (const auto& [stack, counts] : data.memory_stacks().stacks()) {
    auto bytes = view_values(counts, data.options().view).size;
    if (bytes <= 0) continue;
    path.clear();
    for (auto frame : stack)
      path.push_back(name_of_frame[frame]);
    bytes_of_path[path] += bytes;
  }
  // Sorted by names frame by frame (flamegraph.pl sorts again), each line spelt out as it is written.
  std::vector<const std::pair<const std::vector<std::uint32_t>, std::int64_t>*> order;
  order.reserve(bytes_of_path.size());
  for (const auto& entry : bytes_of_path)
    order.push_back(&entry);
  std::sort(order.begin(), order.end(), [&](const auto* a, const auto* b) {
    return std::lexicographical_compare(
        a->first.begin(), a->first.end(), b->first.begin(), b->first.end(),
        [&](std::uint32_t x, std::uint32_t y) { return names[x] < names[y]; });
  });
  for (const auto* entry : order) {
    for (std::size_t i = 0; i < entry->first.size(); ++i)
      out << (i ? ";" : "") << names[entry->first[i]];
    out << ' ' << entry->second << '\n';
  }
}

// One line per call path of the samples' merged tree that ended there: its self samples.
void write_samples(const SamplesMerge& samples, std::ostream& out) {
  const auto& tree = samples.tree();
  std::vector<std::string> path(tree.size());
  for (std::size_t i = 1; i < tree.size(); ++i) {  // parents come before children; node 0 is the root
    const auto& node = tree[i];
    auto frame = folded_frame(samples.functions()[node.function].name);
    path[i] = node.parent == 0 ? frame : path[node.parent] + ";" + frame;
    if (node.self > 0) out << path[i] << ' ' << node.self << '\n';
  }
}

}  // namespace

void write_folded(const ExportData& data, std::ostream& out) {
  if (data.options().samples) {
    if (!data.has_samples()) throw UserError("--samples", "these snapshots hold no CPU samples");
    write_samples(data.merge().samples(), out);
    return;
  }
  if (data.options().memory || !data.has_scopes()) {
    if (!data.has_memory())
      throw UserError("--format folded", "these snapshots hold neither scopes nor a memory section");
    write_memory(data, out);
    return;
  }
  write_scopes(data.merge().scopes().tree(), out);
}

}  // namespace prof::viewer
