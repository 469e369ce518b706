#include <fmt/format.h>

#include "report/scopes/cells.hpp"
#include "units.hpp"

namespace prof::viewer {

std::string scope_label(const ScopeSiteKey& site) {
  if (site.file.empty()) return site.name;
  // The base name keeps the row inside 80 columns; CSV and JSON carry the full path.
  const auto slash = site.file.rfind('/');
  const auto base = slash == std::string::npos ? std::string_view(site.file)
                                               : std::string_view(site.file).substr(slash + 1);
  // Line 0: a site with no line of its own, such as the MPI layer's "(mpi)".
  if (site.line <= 0) return fmt::format("{}  {}", site.name, base);
  return fmt::format("{}  {}:{}", site.name, base, site.line);
}

Cell ncalls_cell(std::int64_t calls, std::int64_t primitive_calls, std::int64_t open_calls) {
  auto text = calls == primitive_calls ? std::to_string(calls) : fmt::format("{}/{}", calls, primitive_calls);
  if (open_calls > 0) text += " (open)";
  return {std::move(text), calls};
}

Cell ns_cell(std::int64_t ns) {
  return Cell::seconds(static_cast<double>(ns) / 1e9);  // "/ 1e9" rounds 700000000 to 0.7 exactly
}

Cell per_call_cell(std::int64_t ns, std::int64_t calls) {
  if (calls <= 0) return {"-", {}};
  return Cell::seconds(static_cast<double>(ns) / static_cast<double>(calls) / 1e9);
}

}  // namespace prof::viewer
