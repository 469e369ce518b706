#include "read/snapshot_files.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "error.hpp"
#include "read/json_scan.hpp"
#include "read/meta_reader.hpp"
#include "read/path_bytes.hpp"
#include "read/snapshot_reader.hpp"

namespace prof::viewer {

namespace {

constexpr std::size_t kHeadBytes = 64 * 1024;

using json_scan::skip_space;
using json_scan::skip_string;
using json_scan::skip_value;

std::string read_head(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return {};
  std::string head(kHeadBytes, '\0');
  head.resize(std::fread(head.data(), 1, head.size(), file.get()));
  return head;
}

std::optional<Meta> parse_meta_text(std::string_view text) {
  auto rewritten = with_byte_escapes_rewritten(text);
  simdjson::padded_string padded(rewritten ? std::string_view(*rewritten) : text);
  simdjson::dom::parser parser;
  json::element element;
  if (parser.parse(padded).get(element) != simdjson::SUCCESS) return std::nullopt;
  try {
    auto meta = read_meta(element);
    restore_bytes(meta);
    return meta;
  } catch (const json::FormatError&) {
    return std::nullopt;  // the full read says what is wrong, in its words
  }
}

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

// True when `a` is a later word on the same process than `b`: its final snapshot (no sequence) or a later
// on-demand one.
bool supersedes(const Meta& a, const Meta& b) {
  if (!a.sequence) return true;
  return b.sequence && *a.sequence > *b.sequence;
}

// One snapshot per process (host, pid, start time), the latest word on it kept in the place of the first
// one seen; returns how many were left out. Files with no pid (Google Benchmark JSON) are never merged:
// nothing tells their processes apart.
std::size_t one_per_process(std::vector<SnapshotFile>& files) {
  std::vector<SnapshotFile> kept;
  // (pid, host, start) -> index in kept: a lookup, since a run directory may hold thousands of processes.
  std::map<std::tuple<std::int64_t, std::string, std::string>, std::size_t> index_of;
  std::size_t left_out = 0;
  for (auto& file : files) {
    if (file.meta.pid == 0) {
      kept.push_back(std::move(file));
      continue;
    }
    auto [it, added] =
        index_of.emplace(std::tuple(file.meta.pid, file.meta.host, file.meta.start_time), kept.size());
    if (added) {
      kept.push_back(std::move(file));
      continue;
    }
    ++left_out;
    auto& earlier = kept[it->second];
    if (supersedes(file.meta, earlier.meta)) earlier = std::move(file);
  }
  files = std::move(kept);
  return left_out;
}

// A process that wrote on-demand snapshots (prof::write_snapshot, PROF_SNAPSHOT_*) as well as its final one
// would be counted twice if a run directory were read whole: keep each process's final snapshot, or, when it
// has none (killed by SIGKILL, say), its latest on-demand one. A file named alone is read as given.
std::vector<SnapshotFile> final_snapshots(std::vector<SnapshotFile> files, const std::string& directory) {
  auto left_out = one_per_process(files);
  if (left_out > 0)
    fmt::print(stderr, "prof: note: {}: {} on-demand snapshot{} left out; name a file to read it\n",
               directory, left_out, left_out == 1 ? "" : "s");
  return files;
}

// The path a file is known by, whatever names it: `run/x.prof.json`, `./run//x.prof.json` and a symlink to
// either are one file, read once.
std::string real_path(const std::string& path) {
  std::error_code error;
  auto real = std::filesystem::canonical(path, error);
  return error ? path : real.string();
}

}  // namespace

std::string_view find_meta_text(std::string_view head) {
  auto at = skip_space(head, 0);
  if (at >= head.size() || head[at] != '{') return {};
  at = skip_space(head, at + 1);
  while (at < head.size() && head[at] == '"') {
    auto key_end = skip_string(head, at);
    if (key_end == std::string_view::npos) return {};
    auto key = head.substr(at + 1, key_end - at - 2);
    at = skip_space(head, key_end);
    if (at >= head.size() || head[at] != ':') return {};
    auto value = skip_space(head, at + 1);
    auto value_end = skip_value(head, value);
    if (value_end == std::string_view::npos) return {};
    if (key == "meta") return head.substr(value, value_end - value);
    at = skip_space(head, value_end);
    if (at >= head.size() || head[at] != ',') return {};
    at = skip_space(head, at + 1);
  }
  return {};
}

Meta read_snapshot_meta(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_regular_file(path, error)) {
    auto head = read_head(path);
    if (auto text = find_meta_text(head); !text.empty())
      if (auto meta = parse_meta_text(text)) return *meta;
  }
  return read_snapshot_file(path).meta;
}

std::vector<SnapshotFile> list_snapshot_files(const std::vector<std::string>& paths) {
  std::vector<SnapshotFile> files;
  // `prof report DIR DIR`, a file and its directory, a run reached through a symlink: each file is read
  // once, and each process counted once, or its figures would be summed twice.
  std::set<std::string> seen;
  std::size_t repeated = 0;
  auto add = [&](SnapshotFile file) {
    if (seen.insert(real_path(file.path)).second)
      files.push_back(std::move(file));
    else
      ++repeated;
  };
  for (const auto& path : paths) {
    std::error_code error;
    if (!std::filesystem::is_directory(path, error)) {
      if (!seen.contains(real_path(path)))
        add({path, read_snapshot_meta(path)});
      else
        ++repeated;
      continue;
    }
    std::vector<SnapshotFile> in_directory;
    for (const auto& file : snapshots_in_directory(path))
      if (!seen.contains(real_path(file)))
        in_directory.push_back({file, read_snapshot_meta(file)});
      else
        ++repeated;
    for (auto& file : final_snapshots(std::move(in_directory), path))
      add(std::move(file));
  }
  auto same_process = one_per_process(files);
  if (repeated + same_process > 0)
    fmt::print(stderr,
               "prof: note: {} snapshot{} named more than once (the same file or process) read once\n",
               repeated + same_process, repeated + same_process == 1 ? "" : "s");
  return files;
}

std::vector<SnapshotFile> only_process(std::vector<SnapshotFile> files, std::optional<std::int64_t> rank,
                                       std::optional<std::int64_t> pid, const std::string& where) {
  if (rank) {
    std::erase_if(files, [&](const SnapshotFile& f) { return f.meta.rank != rank; });
    if (files.empty()) throw UserError("--rank", fmt::format("no snapshot of rank {} in {}", *rank, where));
  }
  if (pid) {
    std::erase_if(files, [&](const SnapshotFile& f) { return f.meta.pid != *pid; });
    if (files.empty()) throw UserError("--pid", fmt::format("no snapshot of pid {} in {}", *pid, where));
  }
  return files;
}

}  // namespace prof::viewer
