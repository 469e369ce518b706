#include "merge/memory_grouping.hpp"

#include <filesystem>

#include <array>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "units.hpp"

namespace prof::viewer {

void MemoryCounts::add(const MemorySite& site) {
  allocations = add_saturating(allocations, site.allocations);
  allocated_bytes = add_saturating(allocated_bytes, site.allocated_bytes);
  peak_bytes = add_saturating(peak_bytes, site.peak_bytes);
  leaked_allocations = add_saturating(leaked_allocations, site.leaked_allocations);
  leaked_bytes = add_saturating(leaked_bytes, site.leaked_bytes);
  temporary_allocations = add_saturating(temporary_allocations, site.temporary_allocations);
}

void MemoryCounts::add(const MemoryCounts& other) {
  allocations = add_saturating(allocations, other.allocations);
  allocated_bytes = add_saturating(allocated_bytes, other.allocated_bytes);
  peak_bytes = add_saturating(peak_bytes, other.peak_bytes);
  leaked_allocations = add_saturating(leaked_allocations, other.leaked_allocations);
  leaked_bytes = add_saturating(leaked_bytes, other.leaked_bytes);
  temporary_allocations = add_saturating(temporary_allocations, other.temporary_allocations);
}

namespace {

std::string_view base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_system_module(std::string_view path) {
  static constexpr std::array<std::string_view, 9> prefixes{"libc.so",   "libc-",           "libstdc++",
                                                            "libunwind", "libprof_preload", "ld-linux",
                                                            "ld.so",     "libgcc_s",        "libpthread"};
  auto name = base_name(path);
  for (auto prefix : prefixes)
    if (name.starts_with(prefix)) return true;
  return false;
}

}  // namespace

bool is_system_frame(const Snapshot& snapshot, const Frame& frame) {
  const auto& written = snapshot.string(frame.file);
  // Snapshots symbolised before paths were normalised may still say "/usr/bin/../lib/gcc/.../include/...".
  const std::string file = written.find("/.") == std::string::npos
                               ? written
                               : std::filesystem::path(written).lexically_normal().string();
  if (file.starts_with("/usr/include/") || file.starts_with("/usr/lib/gcc/")) return true;
  // "./elf/dl-init.c", "../../../libstdc++-v3/...": a path relative to another package's build directory
  // (glibc's, gcc's debug info) is not a line of the user's code, unless it opens from here.
  if ((file.starts_with("./") || file.starts_with("../")) && !std::filesystem::exists(file)) return true;
  if (frame.module >= 0 && is_system_module(snapshot.modules[static_cast<std::size_t>(frame.module)].path))
    return true;
  return false;
}

}  // namespace prof::viewer
