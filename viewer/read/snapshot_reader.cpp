#include "read/snapshot_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "error.hpp"
#include "read/functions_reader.hpp"
#include "read/google_benchmark_reader.hpp"
#include "read/memory_reader.hpp"
#include "read/meta_reader.hpp"
#include "read/mpi_reader.hpp"
#include "read/path_bytes.hpp"
#include "read/plain_stacks.hpp"
#include "read/samples_reader.hpp"
#include "read/scope_reader.hpp"
#include "read/shared_tables_reader.hpp"
#include "read/snapshot_files.hpp"
#include "read/timers_reader.hpp"

namespace prof::viewer {

namespace {

void check_format(const json::object& root) {
  auto format = json::find(root, "format");
  if (!format) json::fail("not a libprof snapshot (no \"format\" key)");
  std::string_view name;
  if (format->get(name) != simdjson::SUCCESS || name != "libprof-snapshot")
    json::fail("not a libprof snapshot (\"format\" is not \"libprof-snapshot\")");
  auto version = json::to_int(json::require(root, "version", ""), "version");
  if (version > kSnapshotFormatVersion)
    json::fail(fmt::format("written by a newer libprof: format {}, this prof reads {}", version,
                           kSnapshotFormatVersion));
  if (version < 1) json::fail(fmt::format("version: {} is not a snapshot format version", version));
}

void read_strings(const json::element& value, Snapshot& snapshot) {
  auto strings = json::to_array(value, "strings");
  std::size_t i = 0;
  for (auto entry : strings) {
    std::string_view text;
    if (entry.get(text) != simdjson::SUCCESS) json::to_string(entry, fmt::format("strings[{}]", i));
    if (i == 0 && !text.empty()) json::fail("strings[0]: must be \"\" (the unknown string)");
    snapshot.strings.emplace_back(text);
    ++i;
  }
}

// `plain`: the stacks table when take_plain_stacks() read it before the parser.
Snapshot read_document(const json::element& document, const std::string& path, PlainStacks* plain) {
  auto root = json::to_object(document, "the document");
  if (is_google_benchmark(root)) return read_google_benchmark(root, path);
  check_format(root);
  Snapshot snapshot;
  snapshot.path = path;
  snapshot.version = kSnapshotFormatVersion;
  snapshot.meta = read_meta(json::require(root, "meta", "the document"));
  // Order matters: each table is checked against the ones it refers to.
  if (auto value = json::find(root, "strings")) read_strings(*value, snapshot);
  if (auto value = json::find(root, "modules")) read_modules(*value, snapshot);
  if (auto value = json::find(root, "frames")) read_frames(*value, snapshot);
  if (plain)
    use_plain_stacks(std::move(*plain), snapshot);
  else if (auto value = json::find(root, "stacks"))
    read_stacks(*value, snapshot);
  if (auto value = json::find(root, "symbolised")) snapshot.symbolised = json::to_bool(*value, "symbolised");
  if (auto value = json::find(root, "scopes")) snapshot.scopes = read_scopes(*value, snapshot);
  if (auto value = json::find(root, "functions")) read_functions(*value, snapshot);
  if (auto value = json::find(root, "memory")) snapshot.memory = read_memory(*value, snapshot);
  if (auto value = json::find(root, "timers")) snapshot.timers = read_timers(*value);
  if (auto value = json::find(root, "mpi")) snapshot.mpi = read_mpi(*value);
  if (auto value = json::find(root, "samples")) snapshot.samples = read_samples(*value, snapshot);
  return snapshot;
}

Snapshot parse_rewritten(simdjson::padded_string& json, const std::string& path);

Snapshot parse_padded(simdjson::padded_string& json, const std::string& path) {
  if (json.size() == 0) throw UserError(path, "empty file, not a snapshot");
  // Bytes of paths that are not UTF-8, escaped as \udcXX: rewritten for the parser, restored in the model.
  if (auto rewritten = with_byte_escapes_rewritten(std::string_view(json))) {
    simdjson::padded_string padded(*rewritten);
    return parse_rewritten(padded, path);
  }
  return parse_rewritten(json, path);
}

Snapshot parse_rewritten(simdjson::padded_string& json, const std::string& path) {
  auto plain = take_plain_stacks(json.data(), json.size());
  // A parser per file: keeping one for all files would save allocating its buffers (about 6 bytes per byte of
  // input) again, but would hold them while the report is built, raising the peak RSS (docs/PERFORMANCE.md).
  simdjson::dom::parser parser;
  json::element document;
  if (auto error = parser.parse(json).get(document); error != simdjson::SUCCESS)
    throw UserError(path, fmt::format("not valid JSON ({})", simdjson::error_message(error)));
  try {
    auto snapshot = read_document(document, path, plain ? &*plain : nullptr);
    restore_bytes(snapshot);
    return snapshot;
  } catch (const json::FormatError& e) {
    throw UserError(path, e.what());
  }
}

}  // namespace

Snapshot parse_snapshot(std::string_view json, const std::string& path) {
  // simdjson reads a little past the end of its input; the copy gives it the padding it needs.
  simdjson::padded_string padded(json);
  return parse_padded(padded, path);
}

Snapshot read_snapshot_file(const std::string& path) {
  std::error_code error;
  auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) throw UserError(path, "no such file or directory");
  if (!std::filesystem::is_regular_file(status)) throw UserError(path, "not a regular file");
  simdjson::padded_string contents;
  if (simdjson::padded_string::load(path).get(contents) != simdjson::SUCCESS) {
    int saved = errno;
    throw UserError(path, fmt::format("cannot read: {}", saved ? std::strerror(saved) : "I/O error"));
  }
  return parse_padded(contents, path);
}

std::vector<Snapshot> load_snapshots(const std::vector<std::string>& paths) {
  std::vector<Snapshot> snapshots;
  for (const auto& file : list_snapshot_files(paths))
    snapshots.push_back(read_snapshot_file(file.path));
  return snapshots;
}

}  // namespace prof::viewer
