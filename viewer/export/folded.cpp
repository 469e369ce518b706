#include "export/folded.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
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
  // Stacks that differ only in lines (two calls from one function) are one path of names here.
  std::map<std::string, std::int64_t> bytes_of_path;
  std::vector<std::string> names;
  for (const auto& frame : data.memory_stacks().frames())
    names.push_back(folded_frame(frame.function));
  for (const auto& [stack, counts] : data.memory_stacks().stacks()) {
    auto bytes = view_values(counts, data.options().view).size;
    if (bytes <= 0) continue;
    std::string path;
    for (auto frame : stack) {  // not `";" + std::string`: a false -Wrestrict under g++ 12 -O3
      if (!path.empty()) path += ';';
      path += names[frame];
    }
    bytes_of_path[path] += bytes;
  }
  for (const auto& [path, bytes] : bytes_of_path)
    out << path << ' ' << bytes << '\n';
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
