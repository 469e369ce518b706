#include <algorithm>

#include <fmt/format.h>

#include "render/render.hpp"

namespace prof::viewer {

namespace {

constexpr std::string_view kIndent = "  ";

// Names come from the profiled program: never let them move the cursor or change colours.
std::string printable(std::string_view text) {
  std::string result(text);
  for (auto& c : result)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return result;
}

// Keeps the end, where file names and line numbers are.
std::string shorten(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  if (width <= 3) return text.substr(text.size() - width);
  return "..." + text.substr(text.size() - (width - 3));
}

class Styler {
 public:
  explicit Styler(bool colour) : colour_(colour) {}
  std::string bold(std::string_view text) const {
    return colour_ ? fmt::format("\033[1m{}\033[0m", text) : std::string(text);
  }

 private:
  bool colour_;
};

// The text table without its csv_only columns.
Table text_columns_of(const Table& full) {
  Table table = full;
  table.columns.clear();
  for (auto& row : table.rows)
    row.clear();
  for (std::size_t c = 0; c < full.columns.size(); ++c) {
    if (full.columns[c].csv_only) continue;
    table.columns.push_back(full.columns[c]);
    for (std::size_t r = 0; r < full.rows.size(); ++r)
      table.rows[r].push_back(full.rows[r][c]);
  }
  return table;
}

void render_table(const Table& full, const TextStyle& style, std::string& out) {
  const Table table = text_columns_of(full);
  Styler styler(style.colour);
  const auto n = table.columns.size();
  std::vector<std::vector<std::string>> cells;
  cells.reserve(table.rows.size());
  std::vector<std::size_t> widths(n);
  for (std::size_t c = 0; c < n; ++c)
    widths[c] = table.columns[c].title.size();
  for (const auto& row : table.rows) {
    auto& texts = cells.emplace_back();
    for (std::size_t c = 0; c < n; ++c) {
      texts.push_back(printable(row[c].text));
      widths[c] = std::max(widths[c], texts.back().size());
    }
  }
  std::size_t total = kIndent.size() + (n ? 2 * (n - 1) : 0);
  for (auto w : widths)
    total += w;
  if (total > style.width) {
    for (std::size_t c = 0; c < n; ++c) {
      if (!table.columns[c].elastic) continue;
      auto excess = total - style.width;
      auto floor = std::max<std::size_t>(12, table.columns[c].title.size());
      auto shrunk = widths[c] > floor + excess ? widths[c] - excess : std::min(widths[c], floor);
      total -= widths[c] - shrunk;
      widths[c] = shrunk;
    }
  }
  auto line = [&](auto&& text_of) {
    std::string result(kIndent);
    for (std::size_t c = 0; c < n; ++c) {
      auto text = shorten(text_of(c), widths[c]);
      bool last = c + 1 == n;
      if (table.columns[c].align == Align::right)
        result += fmt::format("{:>{}}", text, widths[c]);
      else
        result += last ? text : fmt::format("{:<{}}", text, widths[c]);
      if (!last) result += "  ";
    }
    return result;
  };
  if (!table.title.empty()) out += fmt::format("{}{}\n", kIndent, table.title);
  out += styler.bold(line([&](std::size_t c) { return table.columns[c].title; })) + "\n";
  for (const auto& texts : cells)
    out += line([&](std::size_t c) { return texts[c]; }) + "\n";
  if (table.total_rows > table.rows.size())
    out += fmt::format("{}... {} more (see --top)\n", kIndent, table.total_rows - table.rows.size());
}

}  // namespace

std::string render_text(const std::vector<Section>& sections, const TextStyle& style) {
  Styler styler(style.colour);
  std::string out;
  bool first = true;
  for (const auto& section : sections) {
    if (!first) out += "\n";
    first = false;
    if (!section.present) {
      out += printable(section.absent_note) + "\n";
      continue;
    }
    out += styler.bold(section.title) + "\n";
    std::size_t label_width = 0;
    for (const auto& fact : section.facts)
      label_width = std::max(label_width, fact.label.size());
    for (const auto& fact : section.facts)
      out += fmt::format("{}{:<{}}  {}\n", kIndent, fact.label, label_width, printable(fact.value.text));
    for (const auto& table : section.tables) {
      if (!section.facts.empty() || &table != &section.tables.front()) out += "\n";
      render_table(table, style, out);
    }
    for (const auto& warning : section.warnings)
      out += fmt::format("{}{} {}\n", kIndent, styler.bold("warning:"), printable(warning));
  }
  return out;
}

}  // namespace prof::viewer
