// A frame is named after the module mapped at its address when it was recorded, not the one mapped there at
// the snapshot: Open MPI loads and unloads plugins, and a later one often lands on a closed one's range
// (psm2_setopt at 6.6 % of a LAMMPS run's samples came from another module's code). reused_range opens
// libreused_a.so, spins and leaks in it, closes it, opens libreused_b.so (the same code, the same size) at
// the same place, and does the same there.
#include <catch2/catch.hpp>

#include "sampling_support.hpp"

using namespace prof::test::sampling;
using prof::test::TempDir;

TEST_CASE("A module opened over a closed one's range: each frame names the module it ran in",
          "[sampling][modules]") {
  TempDir dir;
  auto result = prof_run(dir, "run", {"--sample", "499"}, {kPrograms + "/reused_range", kPrograms, "0.4"});
  INFO(result.err);
  REQUIRE(result.code() == 0);
  if (result.out.find("overlap 1") == std::string::npos) {
    WARN("libreused_b.so did not land on libreused_a.so's range: skipped");
    return;
  }
  REQUIRE(prof::test::validate(dir.path() / "run") == 0);

  // CPU samples: 0.4 s in each library, so each spin function has about half of them (without the load
  // generations, every sample of one library was named after the other: one row at ~100 %).
  auto samples = prof_csv(dir, {"report", "--samples", at(dir, "run")});
  double a = samples.number("name", "spin_in_lib_a", "self_percent");
  double b = samples.number("name", "spin_in_lib_b", "self_percent");
  CHECK(a == Approx(50).margin(10));
  CHECK(b == Approx(50).margin(10));
  auto modules = prof_csv(dir, {"report", "--samples", "--by", "module", at(dir, "run")});
  bool saw_a = false, saw_b = false;
  for (const auto& row : modules.rows) {
    for (const auto& [column, cell] : row) {
      if (cell.find("libreused_a.so") != std::string::npos) saw_a = std::stod(row.at("self_percent")) > 40;
      if (cell.find("libreused_b.so") != std::string::npos) saw_b = std::stod(row.at("self_percent")) > 40;
    }
  }
  CHECK(saw_a);
  CHECK(saw_b);

  // Memory sites: 100 blocks leaked in A, 300 in B, each site named after its own library's function.
  auto memory = prof_csv(dir, {"report", "--mem", "--by", "function", at(dir, "run")});
  CHECK(memory.number("function", "leak_in_lib_a", "leaked_allocations") == 100);
  CHECK(memory.number("function", "leak_in_lib_b", "leaked_allocations") == 300);
}
