// A sample that lands while a thread holds the dynamic loader's lock, or takes or releases it, must not
// unwind through dl_iterate_phdr (preload/sampling/loader_lock.hpp): two threads in dl_iterate_phdr and
// dlopen/dlclose at 10 kHz hung on the first run before. `timeout` turns a hang into a failure.
#include <catch2/catch.hpp>

#include "sampling_support.hpp"

using namespace prof::test::sampling;
using prof::test::TempDir;

TEST_CASE("Samples inside the dynamic loader's lock never wait for it: dl_iterate_phdr, dlopen, dlclose",
          "[sampling][modules]") {
  for (int run = 0; run < 3; ++run) {
    TempDir dir;
    const std::vector<std::string> argv = {"/usr/bin/timeout",
                                           "-k",
                                           "10",
                                           "120",
                                           kProf,
                                           "run",
                                           "--sample",
                                           "10000",
                                           "-o",
                                           at(dir, "run"),
                                           "--",
                                           kPrograms + "/loader_calls",
                                           "0.5"};
    auto result = prof::test::run(argv, {}, dir.path());
    INFO(result.err);
    REQUIRE(result.code() == 0);
    CHECK(result.out == "done\n");
    auto samples = prof_csv(dir, {"report", "--samples", at(dir, "run")});
    double in_loader = 0;
    for (const auto& row : samples.rows)
      if (row.at("name").find("dl_iterate_phdr") != std::string::npos)
        in_loader = std::max(in_loader, std::stod(row.at("total_percent")));
    CHECK(in_loader > 5);  // the loader's time is still sampled, where it ran
  }
}
