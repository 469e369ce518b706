// A plain loop against a formulation the compiler can vectorise, for several sizes. Summing doubles one after
// the other is a chain of dependent additions the compiler may not reorder (floating-point addition is not
// associative); eight independent partial sums give it, and the CPU, work to do in parallel. The gain is
// large while the data sits in cache and shrinks once memory bandwidth is the limit: measure, then decide.
//
// Usage: timeit_vectorise

#include <cstddef>
#include <iostream>
#include <string>
#include <vector>

#include <prof/prof.hpp>

namespace {

double plain_sum(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values)
    sum += v;
  return sum;
}

double lane_sum(const std::vector<double>& values) {
  // Eight named partial sums, two per 128-bit (or all in one 512-bit) register: each is a chain of its own.
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  const double* v = values.data();
  std::size_t n = values.size(), i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 += v[i];
    s1 += v[i + 1];
    s2 += v[i + 2];
    s3 += v[i + 3];
    s4 += v[i + 4];
    s5 += v[i + 5];
    s6 += v[i + 6];
    s7 += v[i + 7];
  }
  double sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  for (; i < n; ++i)
    sum += v[i];
  return sum;
}

}  // namespace

int main() {
  prof::TimeitOptions timeit_options;
  timeit_options.min_run_time = 0.05;
  prof::CompareOptions compare_options;
  compare_options.time_budget = 1.0;

  for (std::size_t size : {std::size_t{1} << 10, std::size_t{1} << 16, std::size_t{1} << 22}) {
    std::vector<double> values(size);
    for (std::size_t i = 0; i < size; ++i)
      values[i] = 1.0 / static_cast<double>(i + 1);
    std::string n = std::to_string(size);
    std::cout << size << " doubles (" << size * sizeof(double) / 1024 << " KiB)\n";
    std::cout << "  plain: "
              << prof::timeit(
                     "plain_sum " + n, [&] { return plain_sum(values); }, timeit_options)
              << '\n';
    std::cout << "  lanes: "
              << prof::timeit(
                     "lane_sum " + n, [&] { return lane_sum(values); }, timeit_options)
              << '\n';
    std::cout << "  "
              << prof::compare(
                     "plain_sum " + n, [&] { return plain_sum(values); }, "lane_sum " + n,
                     [&] { return lane_sum(values); }, compare_options)
              << '\n';
  }
  return 0;
}
