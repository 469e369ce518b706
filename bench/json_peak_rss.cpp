// Peak memory of one JSON library parsing a big snapshot: `json_peak_rss NAME FILE` prints the process's
// peak RSS after one parse and walk. One process per library, so the peaks do not mask each other.
#include <sys/resource.h>

#include <cstdio>
#include <cstring>

#include "json_contenders.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: json_peak_rss prof_reader|simdjson_dom|nlohmann_json|rapidjson FILE\n");
    return 2;
  }
  for (const auto& contender : prof::bench::json_contenders()) {
    if (std::strcmp(contender.name, argv[1]) != 0) continue;
    auto json = prof::bench::read_whole_file(argv[2]);
    auto checksum = contender.parse_and_walk(json);
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("%s: checksum %lld, peak RSS %ld KiB (file %zu KiB)\n", contender.name,
                static_cast<long long>(checksum), usage.ru_maxrss, json.size() / 1024);
    return 0;
  }
  std::fprintf(stderr, "json_peak_rss: unknown library %s\n", argv[1]);
  return 2;
}
