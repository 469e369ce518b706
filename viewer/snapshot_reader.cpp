#include "snapshot_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "error.hpp"
#include "google_benchmark_reader.hpp"
#include "section_readers.hpp"

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

Snapshot read_document(const json::element& document, const std::string& path) {
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
  if (auto value = json::find(root, "stacks")) read_stacks(*value, snapshot);
  if (auto value = json::find(root, "symbolised")) snapshot.symbolised = json::to_bool(*value, "symbolised");
  if (auto value = json::find(root, "scopes")) snapshot.scopes = read_scopes(*value, snapshot);
  if (auto value = json::find(root, "memory")) snapshot.memory = read_memory(*value, snapshot);
  if (auto value = json::find(root, "timers")) snapshot.timers = read_timers(*value);
  return snapshot;
}

Snapshot parse_padded(const simdjson::padded_string& json, const std::string& path) {
  if (json.size() == 0) throw UserError(path, "empty file, not a snapshot");
  // A parser per file: keeping one for all files would save allocating its buffers (about 6 bytes per byte of
  // input) again, but would hold them while the report is built, raising the peak RSS (docs/PERFORMANCE.md).
  simdjson::dom::parser parser;
  json::element document;
  if (auto error = parser.parse(json).get(document); error != simdjson::SUCCESS)
    throw UserError(path, fmt::format("not valid JSON ({})", simdjson::error_message(error)));
  try {
    return read_document(document, path);
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

namespace {

std::vector<std::string> snapshots_in_directory(const std::string& directory) {
  std::vector<std::string> files;
  std::error_code error;
  for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    auto name = it->path().filename().string();
    constexpr std::string_view suffix = ".prof.json";
    if (name.size() > suffix.size() && name.ends_with(suffix)) files.push_back(it->path().string());
  }
  if (error) throw UserError(directory, fmt::format("cannot list directory: {}", error.message()));
  if (files.empty()) throw UserError(directory, "no *.prof.json snapshots in this directory");
  std::sort(files.begin(), files.end());
  return files;
}

// A process that wrote on-demand snapshots (prof::write_snapshot, PROF_SNAPSHOT_*) as well as its final one
// would be counted twice if a run directory were read whole: keep each process's final snapshot, or, when it
// has none (killed by SIGKILL, say), its latest on-demand one. Named files are always read as given.
std::vector<Snapshot> final_snapshots(std::vector<Snapshot> snapshots, const std::string& directory) {
  auto same_process = [](const Snapshot& a, const Snapshot& b) {
    return a.meta.pid == b.meta.pid && a.meta.host == b.meta.host && a.meta.start_time == b.meta.start_time;
  };
  auto supersedes = [](const Snapshot& a, const Snapshot& b) {  // a is a later word on the process than b
    if (!a.meta.sequence) return true;
    return b.meta.sequence && *a.meta.sequence > *b.meta.sequence;
  };
  std::vector<Snapshot> kept;
  std::size_t left_out = 0;
  for (auto& snapshot : snapshots) {
    auto earlier =
        std::find_if(kept.begin(), kept.end(), [&](const Snapshot& k) { return same_process(k, snapshot); });
    if (earlier == kept.end()) {
      kept.push_back(std::move(snapshot));
      continue;
    }
    ++left_out;
    if (supersedes(snapshot, *earlier)) *earlier = std::move(snapshot);
  }
  if (left_out > 0)
    fmt::print(stderr, "prof: note: {}: {} on-demand snapshot{} left out; name a file to read it\n",
               directory, left_out, left_out == 1 ? "" : "s");
  return kept;
}

}  // namespace

std::vector<Snapshot> load_snapshots(const std::vector<std::string>& paths) {
  std::vector<Snapshot> snapshots;
  for (const auto& path : paths) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<Snapshot> in_directory;
      for (const auto& file : snapshots_in_directory(path))
        in_directory.push_back(read_snapshot_file(file));
      for (auto& snapshot : final_snapshots(std::move(in_directory), path))
        snapshots.push_back(std::move(snapshot));
    } else {
      snapshots.push_back(read_snapshot_file(path));
    }
  }
  return snapshots;
}

}  // namespace prof::viewer
