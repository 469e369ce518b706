#include <algorithm>
#include <string_view>

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

// `text` with the insides of its outermost (open, close) pairs replaced by "...": "f(int, char)" ->
// "f(...)", "std::vector<int>::push_back" -> "std::vector<...>::push_back". `operator<`, `operator()`
// and friends keep their symbols.
std::string elide_pairs(const std::string& text, char open, char close) {
  std::string result;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (depth == 0 && text.compare(i, 8, "operator") == 0) {
      std::size_t end = i + 8;
      if (text.compare(end, 2, "()") == 0)
        end += 2;
      else
        while (end < text.size() &&
               std::string_view("<>=!+-*/%&|^~[]").find(text[end]) != std::string_view::npos)
          ++end;
      result += text.substr(i, end - i);
      i = end - 1;
      continue;
    }
    const char c = text[i];
    if (c == open) {
      if (depth++ == 0) result += std::string(1, open) + "...";
    } else if (c == close && depth > 0) {
      if (--depth == 0) result += close;
    } else if (depth == 0) {
      result += c;
    }
  }
  return depth == 0 ? result : text;  // unbalanced: not a signature
}

// Cut in the middle: the start names the thing, the end holds the file name and line.
std::string cut_middle(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  if (width <= 3) return text.substr(text.size() - width);
  const auto slash = text.rfind('/');
  std::size_t tail = slash == std::string::npos ? (width - 3) / 2 : text.size() - slash;
  tail = std::min(tail, width - 3 - std::min<std::size_t>(width - 3, (width - 3) / 3));
  const std::size_t head = width - 3 - tail;
  return text.substr(0, head) + "..." + text.substr(text.size() - tail);
}

// A name that must stay identifiable in `width` columns: C++ signatures lose their argument lists, then
// their template arguments, then the emptied argument list; what is still too long is cut in the middle.
std::string shorten(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  auto shorter = elide_pairs(text, '(', ')');
  if (shorter.size() > width) shorter = elide_pairs(shorter, '<', '>');
  if (shorter.size() > width && shorter.ends_with("(...)")) shorter.resize(shorter.size() - 5);
  return cut_middle(shorter, width);
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
      // A name keeps room to be recognised (`Memory::srealloc(...)`, `std::vector<...>::push_back`): the
      // line may pass the width rather than cut it to nothing.
      auto floor = std::max(table.columns[c].title.size(), std::min<std::size_t>(widths[c], 30));
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
