#include <cmath>

#include <fmt/format.h>

#include "render/render.hpp"

namespace prof::viewer {

namespace {

std::string quoted(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string result = "\"";
  for (char c : text) {
    if (c == '"') result += '"';
    result += c;
  }
  return result + "\"";
}

std::string raw_text(const RawValue& value) {
  if (auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  // No number (a cv of rows zero everywhere): an empty field, which pandas and spreadsheets read as missing.
  if (auto* d = std::get_if<double>(&value)) return std::isfinite(*d) ? fmt::format("{}", *d) : "";
  if (auto* s = std::get_if<std::string>(&value)) return quoted(*s);
  if (auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  return "";
}

}  // namespace

std::string render_csv(const std::vector<Section>& sections) {
  std::string out;
  bool first = true;
  for (const auto& section : sections) {
    for (const auto& table : section.tables) {
      if (!first) out += "\n";
      first = false;
      // Appended piece by piece: `"," + std::string` makes g++ 12 at -O3 raise a false -Wrestrict inside
      // libstdc++ (its insert at offset 0), and it saves a temporary per cell.
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        if (c) out += ',';
        out += table.columns[c].raw_name();
      }
      out += "\n";
      for (const auto& row : table.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
          if (c) out += ',';
          out += raw_text(row[c].raw);
        }
        out += "\n";
      }
    }
  }
  return out;
}

}  // namespace prof::viewer
