#include "flamegraph/html_writer.hpp"

#include <unordered_map>

#include <fmt/format.h>

#include "flamegraph/html_page.hpp"

namespace prof::viewer {

std::vector<std::uint32_t> preorder(const FlameTree& tree) {
  std::vector<std::uint32_t> order;
  order.reserve(tree.nodes.size());
  std::vector<std::uint32_t> work{0};
  while (!work.empty()) {
    auto node = work.back();
    work.pop_back();
    order.push_back(node);
    const auto& children = tree.nodes[node].children;
    for (auto it = children.rbegin(); it != children.rend(); ++it)
      work.push_back(*it);
  }
  return order;
}

namespace {

// A JSON string that is safe inside <script>: "<" is escaped, so no "</script>" can end it early.
void append_json_string(std::string& out, const std::string& text) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        if (c < 0x20)
          out += fmt::format("\\u{:04x}", c);
        else
          out += static_cast<char>(c);
    }
  }
  out += '"';
}

// Names and locations repeat across call paths: each is written once and referred to by index.
class StringTable {
 public:
  std::size_t index(const std::string& text) {
    auto [it, added] = index_.try_emplace(text, strings_.size());
    if (added) strings_.push_back(text);
    return it->second;
  }
  void append(std::string& out) const {
    out += '[';
    for (std::size_t i = 0; i < strings_.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, strings_[i]);
    }
    out += ']';
  }

 private:
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> strings_;
};

std::string escape_html(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string html_flame(const FlameTree& tree, const std::string& source) {
  auto order = preorder(tree);
  std::vector<std::int64_t> position(tree.nodes.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    position[order[i]] = static_cast<std::int64_t>(i);
  StringTable names, locations;
  std::string name_column, location_column, value_column, before_column, parent_column;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& node = tree.nodes[order[i]];
    const char* comma = i ? "," : "";
    name_column += fmt::format("{}{}", comma, names.index(tree.name(node)));
    location_column += fmt::format("{}{}", comma, locations.index(tree.location(node)));
    value_column += fmt::format("{}{}", comma, node.value);
    before_column += fmt::format("{}{}", comma, node.before);
    parent_column +=
        fmt::format("{}{}", comma, node.parent < 0 ? -1 : position[static_cast<std::size_t>(node.parent)]);
  }
  std::string data = "{\"title\":";
  append_json_string(data, tree.title);
  data += fmt::format(",\"unit\":\"{}\",\"diff\":{},\"source\":", unit_name(tree.unit), tree.diff);
  append_json_string(data, source);
  data += ",\"names\":";
  names.append(data);
  data += ",\"locations\":";
  locations.append(data);
  data += ",\"name\":[" + name_column + "],\"location\":[" + location_column + "],\"value\":[" +
          value_column + "],\"parent\":[" + parent_column + "]";
  if (tree.diff) data += ",\"before\":[" + before_column + "]";
  data += '}';

  std::string page(kFlamegraphPage);
  page.replace(page.find(kTitleMarker), kTitleMarker.size(), escape_html("prof flame graph: " + tree.title));
  page.replace(page.find(kDataMarker), kDataMarker.size(), data);
  return page;
}

}  // namespace prof::viewer
