// Code with no symbol (Open MPI's mca_btl_vader.so, stripped): one row per module in the function views, as
// perf's "[unknown]" in its module, instead of one row per address; --by line keeps the addresses. The
// crafted snapshot (data/unnamed_code/) has 100 samples: force 40, and 20, 30 and 10 at three addresses of
// mca_btl_vader.so with no function (0x4f94, 0x4fa0, 0x5010); its memory sites leak 10 and 50 blocks from
// 0x4f94 and 0x5010.
#include <catch2/catch.hpp>

#include "sampling_support.hpp"

using namespace prof::test::sampling;
using prof::test::TempDir;

namespace {
const std::string kUnnamed = std::string(PROF_SAMPLING_DATA_DIR) + "/unnamed_code";

int rows_starting(const Csv& csv, const std::string& column, const std::string& prefix) {
  int n = 0;
  for (const auto& row : csv.rows)
    n += row.at(column).starts_with(prefix);
  return n;
}
}  // namespace

TEST_CASE("Samples in code with no symbol: one [module] row by function, addresses by line",
          "[sampling][modules]") {
  TempDir dir;
  auto flat = prof_csv(dir, {"report", "--samples", kUnnamed});
  CHECK(flat.number("name", "[mca_btl_vader.so]", "self_percent") == Approx(60));
  CHECK(flat.number("name", "force", "self_percent") == Approx(40));
  CHECK(rows_starting(flat, "name", "mca_btl_vader.so+0x") == 0);
  auto lines = prof_csv(dir, {"report", "--samples", "--by", "line", kUnnamed});
  CHECK(lines.number("name", "mca_btl_vader.so+0x4fa0", "self_percent") == Approx(30));
  CHECK(lines.number("name", "mca_btl_vader.so+0x4f94", "self_percent") == Approx(20));
  CHECK(lines.number("name", "mca_btl_vader.so+0x5010", "self_percent") == Approx(10));
}

TEST_CASE("Memory sites in code with no symbol: one [module] row by function, addresses by line",
          "[sampling][modules]") {
  TempDir dir;
  auto functions = prof_csv(dir, {"report", "--mem", "--by", "function", kUnnamed});
  CHECK(functions.number("function", "[mca_btl_vader.so]", "leaked_allocations") == 60);
  CHECK(rows_starting(functions, "function", "mca_btl_vader.so+0x") == 0);
  auto lines = prof_csv(dir, {"report", "--mem", "--by", "line", kUnnamed});
  CHECK(lines.number("function", "mca_btl_vader.so+0x4f94", "leaked_allocations") == 10);
  CHECK(lines.number("function", "mca_btl_vader.so+0x5010", "leaked_allocations") == 50);
}
