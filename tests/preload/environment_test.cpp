// Taking the shim out of LD_PRELOAD (--no-follow) without allocating and without writing to a shared envp.

#include <catch2/catch.hpp>

#include <string>

#include "process/environment.hpp"

namespace env = prof::preload::environment;

namespace {

std::string removed(std::string value) {
  env::remove_shim(value.data());
  return value.c_str();
}

}  // namespace

TEST_CASE("remove_shim drops every entry named libprof_preload.so and keeps the others", "[environment]") {
  CHECK(removed("/a/lib/libprof_preload.so") == "");
  CHECK(removed("/x/liba.so:/a/libprof_preload.so:/y/libb.so") == "/x/liba.so:/y/libb.so");
  CHECK(removed("/a/libprof_preload.so /x/liba.so") == "/x/liba.so");
  CHECK(removed("libprof_preload.so") == "");
  // Look-alikes stay untouched.
  CHECK(removed("/a/libprof_preload.so.1:/b/mylibprof_preload.so") ==
        "/a/libprof_preload.so.1:/b/mylibprof_preload.so");
  // The MPI layer prof run preloads beside the shim goes too.
  CHECK(removed("/a/libprof_preload.so:/a/libprof_mpi.so:/x/liba.so") == "/x/liba.so");
  std::string untouched = "/x/liba.so";
  CHECK_FALSE(env::remove_shim(untouched.data()));
}

TEST_CASE("without_shim copies the environment and leaves the original strings alone", "[environment]") {
  std::string home = "HOME=/root", preload = "LD_PRELOAD=/x/liba.so:/b/libprof_preload.so";
  char* envp[] = {home.data(), preload.data(), nullptr};
  char* slots[8];
  char text[128];
  char* const* result = env::without_shim(envp, slots, 8, text, sizeof text);
  REQUIRE(result == slots);
  CHECK(std::string(result[0]) == "HOME=/root");
  CHECK(std::string(result[1]) == "LD_PRELOAD=/x/liba.so");
  CHECK(result[2] == nullptr);
  CHECK(preload == "LD_PRELOAD=/x/liba.so:/b/libprof_preload.so");

  char* plain[] = {home.data(), nullptr};
  CHECK(env::without_shim(plain, slots, 8, text, sizeof text) == plain);
  // Too many entries for the slots: passed through unchanged rather than cut.
  CHECK(env::without_shim(envp, slots, 2, text, sizeof text) == envp);
}
