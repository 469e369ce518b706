#include "raw_snapshot.hpp"

#include <dlfcn.h>

#include <filesystem>

#include <catch2/catch.hpp>

#include "call_sites.hpp"
#include "symbolise/module.hpp"

namespace symtest {

Loaded this_program() {
  Dl_info info{};
  REQUIRE(dladdr(reinterpret_cast<void*>(&plain_caller), &info) != 0);
  return {std::filesystem::read_symlink("/proc/self/exe").string(),
          static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(info.dli_fbase))};
}

std::int64_t offset_of(const void* address, const Loaded& module) {
  return static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(address)) - module.base;
}

std::string program_build_id(const Loaded& module) {
  return prof::viewer::SymbolModule(module.path, module.base).build_id();
}

prof::viewer::Snapshot raw_snapshot(const Loaded& module, const std::string& build_id) {
  prof::viewer::Snapshot snapshot;
  snapshot.strings = {"", "kept"};
  snapshot.modules.push_back({module.path, build_id, module.base, 0, false});
  auto entry = offset_of(reinterpret_cast<void*>(&returns_its_return_address), module);
  snapshot.frames.push_back({0, 0, 0, 0, entry + 1, false});
  snapshot.frames.push_back({0, 0, 0, 0, offset_of(plain_caller(), module), false});
  snapshot.frames.push_back({0, 0, 0, 0, offset_of(outer_with_inlined_call(), module), false});
  for (std::uint32_t second : {1u, 2u}) {
    snapshot.stacks.add_frame(0);
    snapshot.stacks.add_frame(second);
    snapshot.stacks.end_stack();
  }
  return snapshot;
}

}  // namespace symtest
