#include "json_contenders.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <simdjson.h>

#include "read/snapshot_reader.hpp"

#if PROF_BENCH_NLOHMANN
#include <nlohmann/json.hpp>
#endif
#if PROF_BENCH_RAPIDJSON
#include <rapidjson/document.h>
#endif

namespace prof::bench {

namespace {

// The real reader: simdjson DOM into the checked model, the whole of what `prof report` loads.
std::int64_t prof_reader(const std::string& json) {
  auto snapshot = viewer::parse_snapshot(json, "bench");
  std::int64_t sum = 0;
  for (const auto& site : snapshot.memory->sites)
    sum += site.peak_bytes;
  for (const auto& thread : snapshot.scopes->threads)
    for (const auto& node : thread.nodes)
      sum += node.calls;
  return sum;
}

std::int64_t simdjson_walk(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element doc = parser.parse(json);
  std::int64_t sum = 0;
  for (auto row : doc["memory"]["sites"]["rows"].get_array())
    sum += int64_t(row.at(3));
  for (auto thread : doc["scopes"]["threads"].get_array())
    for (auto row : thread["nodes"]["rows"].get_array())
      sum += int64_t(row.at(2));
  return sum;
}

std::int64_t simdjson_dom(const std::string& json) {
  simdjson::dom::parser parser;
  return simdjson_walk(parser, json);
}

// The same with the parser's buffers kept from the previous call: separates parsing from allocating (and
// faulting in) ~6 bytes of buffers per byte of input.
std::int64_t simdjson_dom_reused(const std::string& json) {
  static simdjson::dom::parser parser;
  return simdjson_walk(parser, json);
}

#if PROF_BENCH_NLOHMANN
std::int64_t nlohmann_dom(const std::string& json) {
  auto doc = nlohmann::json::parse(json);
  std::int64_t sum = 0;
  for (const auto& row : doc["memory"]["sites"]["rows"])
    sum += row[3].get<std::int64_t>();
  for (const auto& thread : doc["scopes"]["threads"])
    for (const auto& row : thread["nodes"]["rows"])
      sum += row[2].get<std::int64_t>();
  return sum;
}
#endif

#if PROF_BENCH_RAPIDJSON
std::int64_t rapidjson_dom(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  if (doc.HasParseError()) throw std::runtime_error("rapidjson: parse error");
  std::int64_t sum = 0;
  for (const auto& row : doc["memory"]["sites"]["rows"].GetArray())
    sum += row[3].GetInt64();
  for (const auto& thread : doc["scopes"]["threads"].GetArray())
    for (const auto& row : thread["nodes"]["rows"].GetArray())
      sum += row[2].GetInt64();
  return sum;
}
#endif

}  // namespace

std::vector<Contender> json_contenders() {
  std::vector<Contender> contenders{{"prof_reader", prof_reader},
                                    {"simdjson_dom", simdjson_dom},
                                    {"simdjson_dom_reused", simdjson_dom_reused}};
#if PROF_BENCH_NLOHMANN
  contenders.push_back({"nlohmann_json", nlohmann_dom});
#endif
#if PROF_BENCH_RAPIDJSON
  contenders.push_back({"rapidjson", rapidjson_dom});
#endif
  return contenders;
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace prof::bench
