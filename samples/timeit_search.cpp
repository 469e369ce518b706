// The tutorial's timeit lesson in C++: "which search is faster?" has no answer without the context.
// search_c first builds the whole container of comparisons, then looks for a true one (the tutorial's list
// comprehension); search_d stops at the first match, looking at the haystack lazily (its generator
// expression). The names follow samples/haystack.cpp, where search_a and search_b are the plain loop and
// std::find. Where the needle sits decides by how much the lazy one wins: with a new random needle every run
// the timings spread widely (and are flagged noisy); with the needle fixed they are steady, and the verdict
// changes with the place it is fixed at.
//
// Usage: timeit_search [haystack_size]   (default 512, as in the tutorial)

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <numeric>
#include <random>
#include <vector>

#include <prof/prof.hpp>

namespace {

bool search_d(const std::vector<int>& haystack, int needle) {
  // Each comparison is made only when any_of asks for it, and it stops at the first match.
  return std::any_of(haystack.begin(), haystack.end(), [needle](int item) { return item == needle; });
}

bool search_c(const std::vector<int>& haystack, int needle) {
  std::vector<char> matches;
  matches.reserve(haystack.size());
  for (int item : haystack)
    matches.push_back(item == needle);
  return std::any_of(matches.begin(), matches.end(), [](char match) { return match != 0; });
}

// `size` distinct values from 1..2 * size, in random order (random.sample in the tutorial).
std::vector<int> sample_haystack(std::size_t size, std::mt19937& random) {
  std::vector<int> values(2 * size);
  std::iota(values.begin(), values.end(), 1);
  std::shuffle(values.begin(), values.end(), random);
  values.resize(size);
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t size = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 512;
  if (size == 0) size = 512;
  std::mt19937 random(42);
  std::vector<int> haystack = sample_haystack(size, random);
  int needle = haystack.front();

  prof::TimeitOptions timeit_options;
  timeit_options.min_run_time = 0.05;
  timeit_options.runs = 7;
  prof::CompareOptions compare_options;
  compare_options.time_budget = 1.0;

  std::cout << "Context 1: a new needle, anywhere in the haystack, before every run (setup)\n";
  timeit_options.setup = [&] { needle = haystack[random() % haystack.size()]; };
  std::cout << "  search_d: "
            << prof::timeit(
                   "search_d random needle", [&] { return search_d(haystack, needle); }, timeit_options)
            << '\n';
  std::cout << "  search_c: "
            << prof::timeit(
                   "search_c random needle", [&] { return search_c(haystack, needle); }, timeit_options)
            << '\n';
  timeit_options.setup = nullptr;

  for (auto [where, position] :
       {std::pair{"first", std::size_t{0}}, std::pair{"middle", size / 2}, std::pair{"last", size - 1}}) {
    needle = haystack[position];
    std::cout << "Context 2: the needle fixed, " << where << " in the haystack\n";
    std::cout << "  search_d: "
              << prof::timeit(
                     std::string("search_d needle ") + where, [&] { return search_d(haystack, needle); },
                     timeit_options)
              << '\n';
    std::cout << "  search_c: "
              << prof::timeit(
                     std::string("search_c needle ") + where, [&] { return search_c(haystack, needle); },
                     timeit_options)
              << '\n';
    std::cout << "  "
              << prof::compare(
                     std::string("search_d (needle ") + where + ")",
                     [&] { return search_d(haystack, needle); }, "search_c",
                     [&] { return search_c(haystack, needle); }, compare_options)
              << '\n';
  }
  return 0;
}
