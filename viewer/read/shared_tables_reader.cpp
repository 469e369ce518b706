// Reads the shared tables every instrument refers to: modules, frames, stacks.
#include <fmt/format.h>

#include "read/shared_tables_reader.hpp"
#include "read/table_reader.hpp"

namespace prof::viewer {

void read_modules(const json::element& value, Snapshot& snapshot) {
  std::size_t i = 0;
  for (auto entry : json::to_array(value, "modules")) {
    auto where = fmt::format("modules[{}]", i++);
    auto object = json::to_object(entry, where);
    Module module;
    module.path = json::to_string(json::require(object, "path", where), json::join(where, "path"));
    module.base = json::to_count(json::require(object, "base", where), json::join(where, "base"));
    if (auto id = json::find(object, "build_id"))
      module.build_id = json::to_string(*id, json::join(where, "build_id"));
    if (auto size = json::find(object, "size"))
      module.size = json::to_count(*size, json::join(where, "size"));
    if (auto gone = json::find(object, "unloaded"))
      module.unloaded = json::to_bool(*gone, json::join(where, "unloaded"));
    snapshot.modules.push_back(std::move(module));
  }
}

void read_frames(const json::element& value, Snapshot& snapshot) {
  TableReader table(value, "frames");
  const auto function = table.require_column("function");
  const auto file = table.require_column("file");
  const auto line = table.require_column("line");
  const auto module = table.require_column("module");
  const auto offset = table.require_column("offset");
  const auto inlined = table.find_column("inlined");
  // A raw snapshot may have frames but no string table: index 0, "unknown", is valid all the same.
  if (snapshot.strings.empty()) snapshot.strings.emplace_back();
  const auto strings = snapshot.strings.size();
  snapshot.frames.reserve(table.row_count());
  while (table.next()) {
    Frame frame;
    frame.function = table.index(function, strings, "strings");
    frame.file = table.index(file, strings, "strings");
    frame.line = table.count(line);
    frame.module = table.integer(module);
    if (frame.module != -1) frame.module = table.index(module, snapshot.modules.size(), "modules");
    frame.offset = table.count(offset);
    if (inlined) frame.inlined = table.boolean(*inlined);
    snapshot.frames.push_back(frame);
  }
}

void read_stacks(const json::element& value, Snapshot& snapshot) {
  auto stacks = json::to_array(value, "stacks");
  const auto frames = snapshot.frames.size();
  std::size_t i = 0;
  for (auto entry : stacks) {
    json::array stack;
    if (entry.get(stack) != simdjson::SUCCESS) json::to_array(entry, fmt::format("stacks[{}]", i));
    for (auto frame : stack) {
      std::int64_t index = -1;
      if (frame.get(index) != simdjson::SUCCESS) json::to_int(frame, fmt::format("stacks[{}]", i));
      if (index < 0 || static_cast<std::uint64_t>(index) >= frames)
        json::fail(
            fmt::format("stacks[{}]: frame {} is out of range (frames has {} entries)", i, index, frames));
      snapshot.stacks.add_frame(static_cast<std::uint32_t>(index));
    }
    snapshot.stacks.end_stack();
    ++i;
  }
}

}  // namespace prof::viewer
