#pragma once
// The formats `prof export` writes, one file each in this folder. Adding a format is its FORMAT.cpp (with a
// writer function declared in FORMAT.hpp) and one line in formats.cpp's table.
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "export/export_data.hpp"
#include "export/export_stream.hpp"

namespace prof::viewer {

// Writes `data` to `out` in one format; throws UserError when the runs hold nothing the format can carry.
using ExportWriter = void (*)(const ExportData& data, std::ostream& out);

struct ExportFormat {
  std::string_view name;              // --format NAME
  std::string_view description;       // one line for --help
  ExportWriter write;                 // after every snapshot was folded; null for a streamed format
  ExportStreamOpener open = nullptr;  // a format that writes as the snapshots come
  // What the format draws besides scopes, processes and samples (folded only when asked: stacks cost most).
  bool memory_stacks = false;
  AddressedStacks addressed_stacks = AddressedStacks::none;
};

std::span<const ExportFormat> export_formats();
// The format called `name`; throws UserError("--format", ...) naming the known ones.
const ExportFormat& find_export_format(const std::string& name);

}  // namespace prof::viewer
