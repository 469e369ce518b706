#include "symbolise/function_sites.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>

#include <prof/detail/function_name.hpp>

#include "symbolise/excluded_functions.hpp"
#include "symbolise/module.hpp"

namespace prof::viewer {

std::string readable_function_name(const std::string& demangled) {
  namespace d = prof::detail;
  const char* text = demangled.c_str();
  std::size_t end = d::signature_end(text, demangled.size());
  std::size_t stop = d::parameters_begin(text, end);
  std::size_t start = d::name_begin(text, stop);
  std::string name;
  for (std::size_t i = start; i < stop;) {
    if (std::size_t skip = d::anonymous_qualifier_at(text, i, stop)) {
      i += skip;
      continue;
    }
    name += text[i++];
  }
  return name.empty() ? demangled : name;
}

FunctionNaming name_function_sites(Snapshot& snapshot) {
  FunctionNaming result;
  std::vector<std::string>& warnings = result.warnings;
  if (!snapshot.scopes || snapshot.scopes->functions.empty()) return result;
  Scopes& scopes = *snapshot.scopes;
  if (snapshot.strings.empty()) snapshot.strings.emplace_back();
  std::unordered_map<std::string, std::uint32_t> strings;
  auto intern = [&](const std::string& text) {
    if (strings.empty())
      for (std::size_t i = 0; i < snapshot.strings.size(); ++i)
        strings.emplace(snapshot.strings[i], static_cast<std::uint32_t>(i));
    auto [it, added] = strings.emplace(text, static_cast<std::uint32_t>(snapshot.strings.size()));
    if (added) snapshot.strings.push_back(text);
    return it->second;
  };

  // Each module's file opened once, and only when its build id is the recorded one.
  std::map<std::string, std::unique_ptr<SymbolModule>> files;
  std::vector<const SymbolModule*> modules(scopes.function_modules.size(), nullptr);
  for (std::size_t m = 0; m < modules.size(); ++m) {
    const Module& recorded = scopes.function_modules[m];
    auto [file, first] = files.try_emplace(recorded.path);
    if (first) {
      auto opened = std::make_unique<SymbolModule>(recorded.path, recorded.base);
      if (opened->error().empty()) file->second = std::move(opened);
    }
    if (!file->second) continue;
    std::string actual = file->second->build_id();
    if (!recorded.build_id.empty() && !actual.empty() && actual != recorded.build_id) {
      warnings.push_back(fmt::format(
          "{}: build id {} differs from the recorded {} (the file changed since the run); its functions keep "
          "their addresses",
          recorded.path, actual, recorded.build_id));
      continue;
    }
    modules[m] = file->second.get();
  }

  for (const ScopeFunction& function : scopes.functions) {
    ScopeSite& site = scopes.sites[function.site];
    // Named when the file was saved (prof run, or an earlier report): kept, even where the module is gone.
    if (!snapshot.string(site.name).starts_with("0x")) continue;
    result.named = true;
    if (function.module < 0) {
      site = {intern(fmt::format("{:#x}", function.offset)), 0, 0};
      continue;
    }
    const Module& recorded = scopes.function_modules[static_cast<std::size_t>(function.module)];
    const SymbolModule* symbols = modules[static_cast<std::size_t>(function.module)];
    // The hook's address is the function's first instruction (not a return address): looked up as it is.
    // The outermost frame is the function itself; inner ones would be calls inlined at its entry.
    std::vector<SourceFrame> found;
    if (symbols)
      found = symbols->lookup(static_cast<std::uint64_t>(recorded.base) +
                              static_cast<std::uint64_t>(function.offset));
    if (found.empty() || found.back().function.empty()) {
      site = {intern(fmt::format("{}+{:#x}", std::filesystem::path(recorded.path).filename().string(),
                                 function.offset)),
              intern(recorded.path), 0};
      continue;
    }
    // The symbol table's name where there is one: qualified even for a member defined in its class.
    const SourceFrame& frame = found.back();
    std::string name = symbols->symbol_name(static_cast<std::uint64_t>(recorded.base) +
                                            static_cast<std::uint64_t>(function.offset));
    site = {intern(readable_function_name(name.empty() ? frame.function : name)), intern(frame.file),
            frame.line};
  }
  std::vector<std::uint32_t> function_sites;
  for (const ScopeFunction& function : scopes.functions)
    function_sites.push_back(function.site);
  scopes.functions.clear();
  scopes.function_modules.clear();
  drop_excluded_functions(snapshot, function_sites);
  return result;
}

}  // namespace prof::viewer
