// The harness as a user's program sees it: <prof/prof.hpp> and libprof.so.

#include <numeric>
#include <sstream>
#include <vector>

#include <catch2/catch.hpp>
#include <prof/prof.hpp>

namespace {

int plain_function_calls = 0;
void plain_function() {
  ++plain_function_calls;
}

}  // namespace

TEST_CASE("timeit and compare are reachable from prof.hpp and accept any callable", "[public]") {
  std::vector<int> data(64, 1);
  prof::Timing t = prof::timeit("sum", [&] { return std::accumulate(data.begin(), data.end(), 0); },
                                {.min_run_time = 0.005, .runs = 3, .setup = [&] { data[0] = 1; }});
  CHECK(t.name == "sum");
  CHECK(t.runs == 3);
  CHECK(t.samples.size() == 3);
  CHECK(t.loops >= 1);
  CHECK(t.median > 0);

  using namespace std::chrono_literals;
  prof::Timing f = prof::timeit("plain function", plain_function, {.min_run_time = 2ms, .runs = 2});
  CHECK(plain_function_calls >= static_cast<int>(2 * f.loops));

  prof::Comparison c = prof::compare(
      "sum", [&] { prof::do_not_optimize(data); }, "clobber", [] { prof::clobber_memory(); },
      {.round_time = 1ms, .time_budget = 0.5});
  // The budget is a limit now (calibration included), so it must hold min_rounds (12) rounds of 6 ms.
  CHECK(c.rounds >= 12);
  std::ostringstream out;
  out << t << '\n' << c;
  CHECK(out.str().find("3 runs, ") == 0);
}
