#include <cmath>

#include <fmt/format.h>

#include "render/render.hpp"

namespace prof::viewer {

namespace {

std::string quoted(std::string_view text) {
  std::string result = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        result += "\\\"";
        break;
      case '\\':
        result += "\\\\";
        break;
      case '\n':
        result += "\\n";
        break;
      case '\t':
        result += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          result += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        else
          result += c;
    }
  }
  return result + "\"";
}

std::string raw_json(const RawValue& value) {
  if (auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&value)) return std::isfinite(*d) ? fmt::format("{}", *d) : "null";
  if (auto* s = std::get_if<std::string>(&value)) return quoted(*s);
  if (auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  return "null";
}

void render_table(const Table& table, std::string& out) {
  out += fmt::format("{}: [", quoted(table.key));
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    out += r ? ",\n    {" : "\n    {";
    for (std::size_t c = 0; c < table.columns.size(); ++c)
      out += fmt::format("{}{}: {}", c ? ", " : "", quoted(table.columns[c].raw_name()),
                         raw_json(table.rows[r][c].raw));
    out += "}";
  }
  out += table.rows.empty() ? "]" : "\n  ]";
  out += fmt::format(",\n  {}: {}", quoted(table.key + "_total"), table.total_rows);
}

}  // namespace

std::string render_json(const std::vector<Section>& sections) {
  std::string out = "{";
  for (std::size_t s = 0; s < sections.size(); ++s) {
    const auto& section = sections[s];
    out += fmt::format("{}\n{}: ", s ? "," : "", quoted(section.key));
    if (!section.present) {
      out += "null";
      continue;
    }
    out += "{";
    bool first = true;
    for (const auto& fact : section.facts) {
      out += fmt::format("{}\n  {}: {}", first ? "" : ",", quoted(fact.key), raw_json(fact.value.raw));
      first = false;
    }
    for (const auto& table : section.tables) {
      out += first ? "\n  " : ",\n  ";
      first = false;
      render_table(table, out);
    }
    if (!section.warnings.empty()) {
      out += first ? "\n  \"warnings\": [" : ",\n  \"warnings\": [";
      first = false;
      for (std::size_t w = 0; w < section.warnings.size(); ++w)
        out += fmt::format("{}{}", w ? ", " : "", quoted(section.warnings[w]));
      out += "]";
    }
    out += "\n}";
  }
  return out + "\n}\n";
}

}  // namespace prof::viewer
