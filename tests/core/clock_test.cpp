#include "core/clock.hpp"

#include <time.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

using namespace prof::core;

namespace {
bool invariant(const std::string& cpuinfo) {
  return clock::cpuinfo_has_invariant_tsc(cpuinfo.data(), cpuinfo.size());
}

double monotonic_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
}  // namespace

TEST_CASE("an invariant TSC needs both constant_tsc and nonstop_tsc as whole flags", "[clock]") {
  CHECK(invariant("processor\t: 0\nflags\t\t: fpu tsc constant_tsc nonstop_tsc sse\n"));
  CHECK(invariant("flags\t\t: nonstop_tsc constant_tsc\nbugs\t\t:\n"));
  CHECK_FALSE(invariant("flags\t\t: fpu tsc constant_tsc sse\n"));
  CHECK_FALSE(invariant("flags\t\t: fpu xconstant_tsc nonstop_tsc_x\n"));
  CHECK_FALSE(invariant("flags\t\t: constant_tsc nonstop_tsc"));  // line cut off by the buffer
  CHECK_FALSE(invariant("vendor_id\t: x\n"));
  // Only the first processor's flags count.
  CHECK_FALSE(invariant("flags\t\t: fpu\nflags\t\t: constant_tsc nonstop_tsc\n"));
}

TEST_CASE("the clock follows the machine's cpuinfo and ticks at a calibrated rate", "[clock]") {
  clock::init();
  std::ifstream in("/proc/cpuinfo");
  std::stringstream text;
  text << in.rdbuf();
  std::string cpuinfo = text.str();
#if defined(__x86_64__)
  const bool kernel_says = invariant(cpuinfo.substr(0, 16384));
  CHECK(clock::uses_tsc() == (clock::cpuid_has_invariant_tsc() || kernel_says));
  // What init() relies on to skip the file: when the CPU says invariant, so does the kernel.
  if (clock::cpuid_has_invariant_tsc()) CHECK(kernel_says);
#else
  CHECK_FALSE(clock::uses_tsc());
#endif
  double hz = clock::ticks_per_second();
  if (!clock::uses_tsc()) CHECK(hz == 1e9);
  CHECK(hz > 1e8);
  CHECK(hz < 1e11);

  // Ticks converted with the calibrated rate agree with CLOCK_MONOTONIC. The reads are nested so that a
  // preemption between them widens the outer interval only: the ticks' interval holds the monotonic one in
  // the first pair and sits inside it in the second, and only the calibration's error (5 %) is left to allow
  // for.
  timespec pause{0, 20 * 1000 * 1000};
  std::uint64_t outer_k0 = clock::now_ticks();
  double inner_t0 = monotonic_seconds();
  nanosleep(&pause, nullptr);
  double inner_t1 = monotonic_seconds();
  std::uint64_t outer_k1 = clock::now_ticks();
  double outer_t0 = monotonic_seconds();
  std::uint64_t inner_k0 = clock::now_ticks();
  nanosleep(&pause, nullptr);
  std::uint64_t inner_k1 = clock::now_ticks();
  double outer_t1 = monotonic_seconds();
  REQUIRE(outer_k1 > outer_k0);
  REQUIRE(inner_k1 > inner_k0);
  double hz_seen = clock::ticks_per_second();
  CHECK(static_cast<double>(outer_k1 - outer_k0) / hz_seen >= (inner_t1 - inner_t0) * 0.95);
  CHECK(static_cast<double>(inner_k1 - inner_k0) / hz_seen <= (outer_t1 - outer_t0) * 1.05);
}
