#pragma once
// The JSON libraries compared for the snapshot reader. Each contender parses a whole snapshot into its DOM
// and walks the memory sites and scope nodes, summing a column, so no library can skip the work lazily.
#include <cstdint>
#include <string>
#include <vector>

namespace prof::bench {

struct Contender {
  const char* name;
  // Returns a checksum of the walked values; throws on a parse error.
  std::int64_t (*parse_and_walk)(const std::string& json);
};

std::vector<Contender> json_contenders();

std::string read_whole_file(const std::string& path);

}  // namespace prof::bench
