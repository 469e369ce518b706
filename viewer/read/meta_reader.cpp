// Reads `meta` (docs/SNAPSHOT.md "meta").
#include <fmt/format.h>

#include "read/meta_reader.hpp"

namespace prof::viewer {

namespace {

class MetaFields {
 public:
  explicit MetaFields(const json::object& meta) : meta_(meta) {}
  std::string string(std::string_view key) const {
    return std::string(json::to_string(json::require(meta_, key, "meta"), json::join("meta", key)));
  }
  std::int64_t integer(std::string_view key) const {
    return json::to_int(json::require(meta_, key, "meta"), json::join("meta", key));
  }
  std::int64_t count(std::string_view key) const {
    return json::to_count(json::require(meta_, key, "meta"), json::join("meta", key));
  }
  double seconds(std::string_view key) const {
    double value = json::to_number(json::require(meta_, key, "meta"), json::join("meta", key));
    if (!(value >= 0)) json::fail(fmt::format("meta.{}: must not be negative", key));
    return value;
  }
  std::optional<std::int64_t> optional_count(std::string_view key) const {
    auto value = json::find(meta_, key);
    if (!value) return std::nullopt;
    return json::to_count(*value, json::join("meta", key));
  }
  std::optional<std::string> optional_string(std::string_view key) const {
    auto value = json::find(meta_, key);
    if (!value) return std::nullopt;
    return std::string(json::to_string(*value, json::join("meta", key)));
  }
  json::object object(std::string_view key) const {
    return json::to_object(json::require(meta_, key, "meta"), json::join("meta", key));
  }

 private:
  json::object meta_;
};

ExitStatus read_exit(const json::object& exit) {
  ExitStatus result;
  auto status = json::to_string(json::require(exit, "status", "meta.exit"), "meta.exit.status");
  if (status == "exited") {
    result.kind = ExitStatus::Kind::exited;
    result.code = json::to_count(json::require(exit, "code", "meta.exit"), "meta.exit.code");
  } else if (status == "signaled") {
    result.kind = ExitStatus::Kind::signaled;
    result.signal = json::to_count(json::require(exit, "signal", "meta.exit"), "meta.exit.signal");
    result.signal_name =
        json::to_string(json::require(exit, "signal_name", "meta.exit"), "meta.exit.signal_name");
  } else if (status == "running") {
    result.kind = ExitStatus::Kind::running;
  } else if (status == "unknown") {
    result.kind = ExitStatus::Kind::unknown;
  } else {
    json::fail("meta.exit.status: expected \"exited\", \"signaled\", \"running\" or \"unknown\"");
  }
  return result;
}

Clock read_clock(const json::object& clock) {
  Clock result;
  result.source = json::to_string(json::require(clock, "source", "meta.clock"), "meta.clock.source");
  if (result.source == "tsc") {
    result.tsc_hz = json::to_number(json::require(clock, "tsc_hz", "meta.clock"), "meta.clock.tsc_hz");
  } else if (auto name = json::find(clock, "clock")) {
    result.clock = json::to_string(*name, "meta.clock.clock");
  }
  return result;
}

}  // namespace

Meta read_meta(const json::element& value) {
  auto object = json::to_object(value, "meta");
  MetaFields fields(object);
  Meta meta;
  meta.program = fields.string("program");
  meta.exe = fields.optional_string("exe").value_or("");
  auto argv = json::to_array(json::require(object, "argv", "meta"), "meta.argv");
  for (auto arg : argv)
    meta.argv.emplace_back(json::to_string(arg, "meta.argv[]"));
  meta.pid = fields.integer("pid");
  meta.ppid = fields.integer("ppid");
  meta.host = fields.string("host");
  meta.start_time = fields.string("start_time");
  meta.wall_seconds = fields.seconds("wall_seconds");
  meta.user_seconds = fields.seconds("user_seconds");
  meta.system_seconds = fields.seconds("system_seconds");
  meta.max_rss_bytes = fields.count("max_rss_bytes");
  meta.exit = read_exit(fields.object("exit"));
  meta.libprof_version = fields.string("libprof_version");
  meta.writer = fields.string("writer");
  meta.clock = read_clock(fields.object("clock"));
  meta.rank = fields.optional_count("rank");
  meta.size = fields.optional_count("size");
  meta.rank_source = fields.optional_string("rank_source");
  meta.threads_seen = fields.count("threads_seen");
  meta.runtime_threads = fields.optional_count("runtime_threads").value_or(0);
  meta.cores_online = fields.count("cores_online");
  meta.cpus_allowed = fields.optional_count("cpus_allowed");
  meta.cpu_list = fields.optional_string("cpu_list");
  if (auto env = json::find(object, "env")) {
    for (auto [key, text] : json::to_object(*env, "meta.env"))
      meta.env.emplace(std::string(key), std::string(json::to_string(text, json::join("meta.env", key))));
  }
  meta.label = fields.optional_string("label");
  meta.sequence = fields.optional_count("sequence");
  return meta;
}

}  // namespace prof::viewer
