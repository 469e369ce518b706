// C++ containers with millions of nodes (issue 13): a std::map and a std::unordered_map of 1 500 000 entries
// each (one node allocation per entry, string values past the small-string buffer), looked up, half erased in
// another order, then destroyed, as a solver's or a compiler's symbol tables would be.
//
//   containers [ENTRIES]
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <unordered_map>

namespace {

std::string value_of(long key) {
  return "value-of-entry-number-" + std::to_string(key);  // 30+ characters: a heap allocation
}

template <typename Map>
__attribute__((noinline)) long exercise(long entries) {
  Map map;
  for (long i = 0; i < entries; ++i) {
    long key = (i * 2654435761L) % (entries * 4);
    map.emplace(key, value_of(key));
  }
  long found = 0;
  for (long i = 0; i < entries; i += 3)
    found += static_cast<long>(map.count((i * 2654435761L) % (entries * 4)));
  for (long i = 0; i < entries; i += 2)
    map.erase((i * 2654435761L) % (entries * 4));
  return found + static_cast<long>(map.size());
}

}  // namespace

int main(int argc, char** argv) {
  long entries = argc > 1 ? std::atol(argv[1]) : 1500000;
  long a = exercise<std::map<long, std::string>>(entries);
  long b = exercise<std::unordered_map<long, std::string>>(entries);
  std::printf("%ld %ld\n", a, b);
  return 0;
}
