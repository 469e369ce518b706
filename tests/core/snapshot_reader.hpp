#pragma once
// Reads the meta fields the core tests check from a snapshot file (simdjson, so a malformed file fails).

#include <simdjson.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace prof::test {

struct SnapshotMeta {
  std::string program, writer, exit_status, signal_name, rank_source, start_time, exe, host;
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> env;
  std::int64_t pid = -1, ppid = -1, code = -1, signal = -1, threads_seen = -1, rank = -1, size = -1;
  std::int64_t max_rss_bytes = -1, cores_online = -1, cpus_allowed = -1;
  double wall_seconds = -1;
  std::string clock_source;
  double tsc_hz = 0;
  bool has_rank = false;
};

inline SnapshotMeta read_snapshot_meta(const std::filesystem::path& file) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load(file.string());
  simdjson::dom::object meta = doc["meta"];
  SnapshotMeta m;
  m.program = std::string(std::string_view(meta["program"]));
  m.writer = std::string(std::string_view(meta["writer"]));
  m.start_time = std::string(std::string_view(meta["start_time"]));
  m.host = std::string(std::string_view(meta["host"]));
  if (auto exe = meta["exe"]; !exe.error()) m.exe = std::string(std::string_view(exe));
  for (auto arg : simdjson::dom::array(meta["argv"]))
    m.argv.emplace_back(std::string_view(arg));
  m.pid = int64_t(meta["pid"]);
  m.ppid = int64_t(meta["ppid"]);
  m.threads_seen = int64_t(meta["threads_seen"]);
  m.max_rss_bytes = int64_t(meta["max_rss_bytes"]);
  m.cores_online = int64_t(meta["cores_online"]);
  if (auto cpus = meta["cpus_allowed"]; !cpus.error()) m.cpus_allowed = int64_t(cpus);
  m.wall_seconds = double(meta["wall_seconds"]);
  simdjson::dom::object exit = meta["exit"];
  m.exit_status = std::string(std::string_view(exit["status"]));
  if (auto code = exit["code"]; !code.error()) m.code = int64_t(code);
  if (auto signal = exit["signal"]; !signal.error()) m.signal = int64_t(signal);
  if (auto name = exit["signal_name"]; !name.error()) m.signal_name = std::string(std::string_view(name));
  if (auto rank = meta["rank"]; !rank.error()) {
    m.has_rank = true;
    m.rank = int64_t(rank);
  }
  if (auto size = meta["size"]; !size.error()) m.size = int64_t(size);
  if (auto source = meta["rank_source"]; !source.error())
    m.rank_source = std::string(std::string_view(source));
  simdjson::dom::object clock = meta["clock"];
  m.clock_source = std::string(std::string_view(clock["source"]));
  if (auto hz = clock["tsc_hz"]; !hz.error()) m.tsc_hz = double(hz);
  if (auto env = meta["env"]; !env.error()) {
    for (auto field : simdjson::dom::object(env))
      m.env.emplace_back(std::string(field.key), std::string(std::string_view(field.value)));
  }
  return m;
}

}  // namespace prof::test
