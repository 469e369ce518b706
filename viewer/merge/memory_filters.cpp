#include "merge/memory_filters.hpp"

#include <fnmatch.h>

#include <array>

namespace prof::viewer {

namespace {

bool glob(const std::string& pattern, const std::string& text) {
  return fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

// "Memory::srealloc" should find "Memory::srealloc(void*, long, char const*)": a pattern is tried on the
// whole name and on the name without its argument list.
bool function_matches(const std::vector<std::string>& patterns, const std::string& function) {
  const auto paren = function.find('(');
  const std::string bare = paren == std::string::npos || paren == 0 ? function : function.substr(0, paren);
  for (const auto& pattern : patterns)
    if (glob(pattern, function) || glob(pattern, bare)) return true;
  return false;
}

bool path_matches(const std::vector<std::string>& patterns, const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  for (const auto& pattern : patterns)
    if (glob(pattern, path) || glob(pattern, base)) return true;
  return false;
}

}  // namespace

bool filtered_out(const Snapshot& snapshot, const Frame& frame, const MemoryFrameFilters& filters) {
  if (!filters.exclude_functions.empty() &&
      function_matches(filters.exclude_functions, snapshot.string(frame.function)))
    return true;
  if (!filters.include_files.empty() && !path_matches(filters.include_files, snapshot.string(frame.file)))
    return true;
  if (!filters.exclude_modules.empty() && frame.module >= 0 &&
      path_matches(filters.exclude_modules, snapshot.modules[static_cast<std::size_t>(frame.module)].path))
    return true;
  return false;
}

bool is_runtime_leak_function(std::string_view function) {
  // heaptrack's list (src/analyze/suppressions.cpp, builtinSuppressions), matched as a part of the name as
  // heaptrack matches it.
  static constexpr std::array<std::string_view, 7> kNames{
      "__nss_module_allocate", "__gconv_read_conf",  "__new_exitfn", "tzset_internal",
      "dl_open_worker",        "g_main_context_new", "g_thread_self"};
  for (auto name : kNames)
    if (function.find(name) != std::string_view::npos) return true;
  return false;
}

}  // namespace prof::viewer
