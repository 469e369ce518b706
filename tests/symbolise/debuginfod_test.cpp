// A library without a debug package: libdwfl (elfutils 0.188) would load libdebuginfod and its 30 libraries
// to ask a server, even with none configured; the symboliser asks only when DEBUGINFOD_URLS names one.
#include <dlfcn.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <new>
#include <string>

#include <catch2/catch.hpp>

#include "symbolise/module.hpp"

using namespace prof::viewer;

namespace {

bool debuginfod_loaded() {
  void* handle = dlopen("libdebuginfod.so.1", RTLD_LAZY | RTLD_NOLOAD);
  if (handle) dlclose(handle);
  return handle != nullptr;
}

}  // namespace

TEST_CASE("a library without a debug file is named from its symbols without loading libdebuginfod") {
  ::unsetenv("DEBUGINFOD_URLS");
  if (debuginfod_loaded()) {  // by an earlier test of this process; ctest runs each test alone
    WARN("libdebuginfod is loaded already: run this test alone to check it");
    return;
  }
  // libstdc++'s own function, in a library whose debug file (libstdc++6-dbg) is not installed here.
  auto address = reinterpret_cast<std::uintptr_t>(static_cast<void (*)()>(&std::__throw_bad_alloc));
  Dl_info info{};
  REQUIRE(dladdr(reinterpret_cast<void*>(address), &info) != 0);
  SymbolModule module(info.dli_fname,
                      static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(info.dli_fbase)));
  REQUIRE(module.error().empty());
  auto frames = module.lookup(address + 1);
  REQUIRE_FALSE(frames.empty());
  CHECK(frames.front().function == "std::__throw_bad_alloc()");
  if (!module.debug_file().empty()) WARN("libstdc++ has a debug file here: " << module.debug_file());
  // Before: libdwfl's standard search, finding no debug file, loaded libdebuginfod (20 ms, 460 page faults).
  CHECK_FALSE(debuginfod_loaded());
}
