// The tutorial's tracemalloc lesson in C++: find a needle among generated strings either by building the
// whole container first (Python's list comprehension, `any([...])`) or by producing one string at a time
// (the generator expression, `any((...))`). Same answer; the first holds every string at once, the second
// one string. One deliberate leak shows what `--view leaks` finds.
//
//   prof run -- memory_strings [COUNT]
//   prof report --mem            # by line, live bytes at the peak
//   prof report --mem --view leaks
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

// Long enough to live on the heap (libstdc++ keeps up to 15 characters inside the string itself). Each search
// writes the expression out on its own line, so `--by line` tells the two apart.
const std::string kPadding = "-padded-past-the-small-string-buffer";

// any([item == needle for item in haystack]): every string exists before the first comparison.
bool search_built(long count, const std::string& needle) {
  std::vector<std::string> haystack;
  for (long i = 0; i < count; ++i)
    haystack.push_back("haystack-item-" + std::to_string(i) + kPadding);
  return std::any_of(haystack.begin(), haystack.end(), [&](const std::string& s) { return s == needle; });
}

// any((item == needle for item in haystack)): one string at a time, gone before the next is made.
bool search_streamed(long count, const std::string& needle) {
  for (long i = 0; i < count; ++i) {
    if ("haystack-item-" + std::to_string(i) + kPadding == needle) return true;
  }
  return false;
}

// The deliberate leak: a "cache" of the needle that nobody frees.
const std::string* remember(const std::string& needle) {
  return new std::string(needle + "-remembered-but-never-freed");
}

}  // namespace

int main(int argc, char** argv) {
  const long count = argc > 1 ? std::atol(argv[1]) : 100000;
  // The last item: both searches go all the way.
  const std::string needle = "haystack-item-" + std::to_string(count - 1) + kPadding;
  const bool built = search_built(count, needle);
  const bool streamed = search_streamed(count, needle);
  const std::string* cached = remember(needle);
  std::printf("built: %s, streamed: %s, %zu bytes remembered\n", built ? "found" : "missing",
              streamed ? "found" : "missing", cached->size());
  return built && streamed ? 0 : 1;
}
