#include "symbolise/excluded_functions.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "error.hpp"

namespace prof::viewer {

namespace {

// One thread's tree without the excluded nodes: a parent still comes before its children.
std::vector<ScopeNode> without(const std::vector<ScopeNode>& nodes, const std::vector<bool>& excluded_site) {
  std::vector<ScopeNode> kept;
  // The new index of each old node, or for an excluded one the new index of its nearest kept ancestor (-1).
  std::vector<std::int64_t> moved(nodes.size(), -1);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const ScopeNode& node = nodes[i];
    std::int64_t parent = node.parent < 0 ? -1 : moved[static_cast<std::size_t>(node.parent)];
    if (node.site < excluded_site.size() && excluded_site[node.site]) {
      moved[i] = parent;
      if (parent >= 0) {  // its own time is its caller's now
        kept[static_cast<std::size_t>(parent)].self_ns += node.self_ns;
        kept[static_cast<std::size_t>(parent)].raw_self_ns += node.raw_self_ns;
      }
      continue;
    }
    moved[i] = static_cast<std::int64_t>(kept.size());
    kept.push_back(node);
    kept.back().parent = parent;
  }
  return kept;
}

// "@FILE": the names in FILE, one a line (blank lines and lines from '#' on left out).
std::set<std::string> names_in(const std::string& file) {
  std::ifstream in(file);
  if (!in)
    throw UserError(file, "cannot read the names PROF_INSTRUMENT_EXCLUDE gives (" +
                              std::string(std::strerror(errno)) + ")");
  std::set<std::string> names;
  for (std::string line; std::getline(in, line);) {
    line = line.substr(0, line.find('#'));
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    names.insert(line.substr(first, line.find_last_not_of(" \t\r") - first + 1));
  }
  return names;
}

}  // namespace

void drop_excluded_functions(Snapshot& snapshot, const std::vector<std::uint32_t>& function_sites) {
  auto variable = snapshot.meta.env.find("PROF_INSTRUMENT_EXCLUDE");
  if (variable == snapshot.meta.env.end() || variable->second.empty() || !snapshot.scopes) return;
  const std::string& value = variable->second;
  std::set<std::string> names;
  std::regex pattern;
  if (value.starts_with("@")) {
    names = names_in(value.substr(1));
  } else {
    try {
      pattern = std::regex(value, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& error) {
      throw UserError(snapshot.path, "meta.env.PROF_INSTRUMENT_EXCLUDE: not a regular expression: " + value +
                                         " (" + error.what() + ")");
    }
  }
  Scopes& scopes = *snapshot.scopes;
  std::vector<bool> excluded(scopes.sites.size(), false);
  bool any = false;
  for (std::uint32_t site : function_sites) {
    const std::string& name = snapshot.string(scopes.sites[site].name);
    if (value.starts_with("@") ? names.contains(name) : std::regex_search(name, pattern))
      any = excluded[site] = true;
  }
  if (!any) return;
  for (auto& thread : scopes.threads)
    thread.nodes = without(thread.nodes, excluded);
}

}  // namespace prof::viewer
