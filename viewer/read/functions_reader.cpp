#include "read/functions_reader.hpp"

#include <fmt/format.h>

#include "read/table_reader.hpp"

namespace prof::viewer {

void read_functions(const json::element& value, Snapshot& snapshot) {
  auto object = json::to_object(value, "functions");
  // Without scopes there is nothing to name (a section without its sites): ignored like an unknown key.
  if (!snapshot.scopes) return;
  Scopes& scopes = *snapshot.scopes;
  std::size_t i = 0;
  for (auto entry : json::to_array(json::require(object, "modules", "functions"), "functions.modules")) {
    auto where = fmt::format("functions.modules[{}]", i++);
    auto module_object = json::to_object(entry, where);
    Module module;
    module.path = json::to_string(json::require(module_object, "path", where), json::join(where, "path"));
    module.base = json::to_count(json::require(module_object, "base", where), json::join(where, "base"));
    if (auto id = json::find(module_object, "build_id"))
      module.build_id = json::to_string(*id, json::join(where, "build_id"));
    scopes.function_modules.push_back(std::move(module));
  }
  TableReader table(json::require(object, "sites", "functions"), "functions.sites");
  const auto site = table.require_column("site");
  const auto module = table.require_column("module");
  const auto offset = table.require_column("offset");
  while (table.next()) {
    // A function first called while the snapshot was written has a site the scopes section did not list:
    // no node refers to it, so it is skipped.
    if (table.count(site) >= static_cast<std::int64_t>(scopes.sites.size())) continue;
    ScopeFunction function;
    function.site = static_cast<std::uint32_t>(table.count(site));
    function.module = table.integer(module);
    if (function.module != -1)
      function.module = table.index(module, scopes.function_modules.size(), "functions.modules");
    function.offset = table.count(offset);
    scopes.functions.push_back(function);
  }
}

}  // namespace prof::viewer
