// The vDSO has no file: its frames are named from the viewer's own vDSO when the build ids agree
// (viewer/symbolise/vdso.hpp), as perf names them (__vdso_clock_gettime) instead of linux-vdso.so.1+0xc01.
#include <catch2/catch.hpp>

#include "sampling_support.hpp"

using namespace prof::test::sampling;
using prof::test::TempDir;

TEST_CASE("Samples in the vDSO are named after its functions: __vdso_clock_gettime", "[sampling][modules]") {
  TempDir dir;
  auto result = prof_run(dir, "run", {"--sample", "499"}, {kPrograms + "/vdso_spin", "0.4"});
  INFO(result.err);
  REQUIRE(result.code() == 0);
  auto samples = prof_csv(dir, {"report", "--samples", at(dir, "run")});
  double named = 0, raw = 0;
  for (const auto& row : samples.rows) {
    const auto& name = row.at("name");
    if (name.starts_with("__vdso_clock_gettime")) named = std::stod(row.at("total_percent"));
    if (name.starts_with("[linux-vdso")) raw += std::stod(row.at("total_percent"));
  }
  // Nearly all of the program's CPU time is in the vDSO's clock_gettime and what it calls (the rest: the
  // loop, the PLT stub). Total, not self: with the kvm-clock clock source the time is read in a static
  // function of the vDSO that no symbol covers (perf shows its address too), called by the named one.
  CHECK(named > 60);
  CHECK(raw < named);
}
