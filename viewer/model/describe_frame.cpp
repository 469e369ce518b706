#include <string>

#include <fmt/format.h>

#include "model/describe_frame.hpp"

namespace prof::viewer {

std::string describe_frame(const Snapshot& snapshot, std::uint32_t index) {
  const auto& frame = snapshot.frames[index];
  const auto& function = snapshot.string(frame.function);
  const auto& file = snapshot.string(frame.file);
  std::string where;
  if (!file.empty()) where = frame.line ? fmt::format("{}:{}", file, frame.line) : file;
  if (!function.empty()) return where.empty() ? function : function + " " + where;
  if (!where.empty()) return where;
  if (frame.module >= 0) {
    const auto& path = snapshot.modules[static_cast<std::size_t>(frame.module)].path;
    auto slash = path.rfind('/');
    return fmt::format("{}+{:#x}", slash == std::string::npos ? path : path.substr(slash + 1), frame.offset);
  }
  return fmt::format("{:#x}", frame.offset);
}

}  // namespace prof::viewer
