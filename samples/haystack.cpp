// The tutorial's four ways to search a haystack, in C++, instrumented with libprof's scope macros:
//   search_a  an explicit loop that returns at the needle
//   search_b  std::find
//   search_c  builds a full intermediate container first (Python's list comprehension)
//   search_d  a lazy range (Python's generator expression)
// Run it under `prof run` and read the report with `prof report --scopes`: search_c pays for the container it
// builds, search_a/b/d stop at the needle, and where the needle lies decides how much each one costs.
//
//   prof run -- haystack [SEARCHES] [HAYSTACK_SIZE]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <numeric>
#include <random>
#include <vector>

#include <prof/prof.hpp>

namespace {

bool search_a(const std::vector<int>& haystack, int needle) {
  PROF_FUNCTION();
  for (int item : haystack) {
    if (item == needle) return true;
  }
  return false;
}

bool search_b(const std::vector<int>& haystack, int needle) {
  PROF_FUNCTION();
  return std::find(haystack.begin(), haystack.end(), needle) != haystack.end();
}

bool search_c(const std::vector<int>& haystack, int needle) {
  PROF_FUNCTION();
  std::vector<char> matches;  // the whole list of comparisons, built before it is looked at
  matches.reserve(haystack.size());
  for (int item : haystack)
    matches.push_back(item == needle);
  return std::any_of(matches.begin(), matches.end(), [](char m) { return m != 0; });
}

// The comparisons as a lazy sequence: each one is made only when the consumer asks for the next, as Python's
// generator expression `(item == needle for item in haystack)` does.
class LazyMatches {
 public:
  LazyMatches(const std::vector<int>& haystack, int needle) : haystack_(haystack), needle_(needle) {}

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = bool;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = bool;
    iterator(std::vector<int>::const_iterator at, int needle) : at_(at), needle_(needle) {}
    bool operator*() const { return *at_ == needle_; }
    iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator==(const iterator& other) const { return at_ == other.at_; }

   private:
    std::vector<int>::const_iterator at_;
    int needle_;
  };

  iterator begin() const { return {haystack_.begin(), needle_}; }
  iterator end() const { return {haystack_.end(), needle_}; }

 private:
  const std::vector<int>& haystack_;
  int needle_;
};

bool search_d(const std::vector<int>& haystack, int needle) {
  PROF_FUNCTION();
  LazyMatches matches(haystack, needle);
  return std::any_of(matches.begin(), matches.end(), [](bool m) { return m; });
}

// random.sample(range(1, 2 * size), size): distinct values in random order.
std::vector<int> make_haystack(std::mt19937& random, int size) {
  PROF_FUNCTION();
  std::vector<int> values(2 * static_cast<std::size_t>(size) - 1);
  std::iota(values.begin(), values.end(), 1);
  std::shuffle(values.begin(), values.end(), random);
  values.resize(static_cast<std::size_t>(size));
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  const int searches = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int size = argc > 2 ? std::atoi(argv[2]) : 1024;
  if (searches < 1 || size < 1) {
    std::fprintf(stderr, "usage: haystack [SEARCHES>=1] [HAYSTACK_SIZE>=1]\n");
    return 2;
  }
  std::mt19937 random(2020);
  const std::vector<int> haystack = make_haystack(random, size);
  std::uniform_int_distribution<std::size_t> position(0, haystack.size() - 1);

  long found = 0;
  {
    PROF_SCOPE("needle anywhere");  // random.choice(haystack): a new position for every search
    for (int i = 0; i < searches; ++i) {
      const int needle = haystack[position(random)];
      found += search_a(haystack, needle) + search_b(haystack, needle) + search_c(haystack, needle) +
               search_d(haystack, needle);
    }
  }
  {
    PROF_SCOPE("needle first");  // the tutorial's hint: the first item is the needle
    for (int i = 0; i < searches; ++i) {
      const int needle = haystack.front();
      found += search_a(haystack, needle) + search_b(haystack, needle) + search_c(haystack, needle) +
               search_d(haystack, needle);
    }
  }
  std::printf("%d searches of %d items, 4 ways, twice: %ld found\n", searches, size, found);
  return found == 8L * searches ? 0 : 1;
}
