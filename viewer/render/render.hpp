#pragma once
// Turns report sections into text (80 columns, for people), csv (tables only, for spreadsheets and scripts)
// or json (everything, raw values in base units).
#include <string>
#include <vector>

#include "report/table.hpp"

namespace prof::viewer {

enum class OutputFormat { text, csv, json };

struct TextStyle {
  bool colour = false;
  std::size_t width = 80;
};

std::string render_text(const std::vector<Section>& sections, const TextStyle& style);
std::string render_csv(const std::vector<Section>& sections);
std::string render_json(const std::vector<Section>& sections);

}  // namespace prof::viewer
