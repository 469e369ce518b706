// Module entries a crafted snapshot may hold: a FIFO or a device as a module path must not block
// symbolisation (issue 11, item 15), and thousands of entries naming one binary open it once (item 18).
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "call_sites.hpp"
#include "symbolise/frames.hpp"
#include "symbolise/module.hpp"

using namespace prof::viewer;

namespace {

std::int64_t program_base() {
  Dl_info info{};
  REQUIRE(dladdr(reinterpret_cast<void*>(&symtest::plain_caller), &info) != 0);
  return static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(info.dli_fbase));
}

std::int64_t plain_call_offset() {
  return static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(symtest::plain_caller())) -
         program_base();
}

// One raw frame per module entry, each in its own stack.
Snapshot snapshot_of(const std::vector<Module>& modules, std::int64_t offset) {
  Snapshot snapshot;
  snapshot.strings = {""};
  snapshot.modules = modules;
  for (std::size_t m = 0; m < modules.size(); ++m) {
    snapshot.frames.push_back({0, 0, 0, static_cast<std::int64_t>(m), offset, false});
    snapshot.stacks.add_frame(static_cast<std::uint32_t>(m));
    snapshot.stacks.end_stack();
  }
  return snapshot;
}

}  // namespace

TEST_CASE("a module path that is a FIFO or a device is refused without blocking") {
  char name[] = "/tmp/prof-symbolise-test.XXXXXX";
  REQUIRE(mkdtemp(name) != nullptr);
  std::string fifo = std::string(name) + "/libfifo.so";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  // Before the fix the open of the FIFO waited for a writer for ever.
  SymbolModule from_fifo(fifo, 0x400000);
  CHECK(from_fifo.error() == "not a regular file");
  CHECK(from_fifo.lookup(0x400010).empty());
  SymbolModule from_device("/dev/zero", 0x400000);
  CHECK(from_device.error() == "not a regular file");
  SymbolModule from_directory("/", 0x400000);
  CHECK_FALSE(from_directory.error().empty());

  auto snapshot =
      snapshot_of({{fifo, "", 0x400000, 0x1000, false}, {"/dev/zero", "", 0x500000, 0x1000, false}}, 16);
  auto result = symbolise(snapshot);
  CHECK_FALSE(result.changed);
  CHECK(result.unreadable.size() == 2);
  std::filesystem::remove_all(name);
}

TEST_CASE("4000 module entries naming one binary open its file once and all resolve") {
  auto path = std::filesystem::read_symlink("/proc/self/exe").string();
  auto base = program_base();
  // The same binary recorded at 4000 different bases (a crafted file; dlopen'd copies look alike): the
  // frame's offset is relative to its own entry's base, so every entry resolves to the same function.
  std::vector<Module> modules;
  for (std::int64_t i = 0; i < 4000; ++i)
    modules.push_back({path, "", base + i * 0x100000, 0x100000, false});
  auto snapshot = snapshot_of(modules, plain_call_offset());
  auto result = symbolise(snapshot);
  REQUIRE(result.changed);
  // Before: one libdwfl handle per entry (4000 opens, 1.3 GB for a large binary).
  CHECK(result.files_opened == 1);
  CHECK(result.unreadable.empty());
  std::uint32_t function = snapshot.frames[snapshot.stacks[0][0]].function;
  CHECK(snapshot.strings[function].find("plain_caller") != std::string::npos);
  for (std::size_t s = 0; s < snapshot.stacks.size(); ++s)
    CHECK(snapshot.frames[snapshot.stacks[s][0]].function == function);
}

TEST_CASE("a FIFO where the module's .gnu_debuglink points is never opened") {
  char name[] = "/tmp/prof-symbolise-test.XXXXXX";
  REQUIRE(mkdtemp(name) != nullptr);
  std::string dir = name, module = dir + "/libcopy.so", debug = dir + "/libcopy.debug";
  auto self = std::filesystem::read_symlink("/proc/self/exe").string();
  // A copy of this test binary that names a separate debug file, which is then replaced by a FIFO.
  REQUIRE(std::system(("objcopy --only-keep-debug " + self + " " + debug).c_str()) == 0);
  REQUIRE(std::system(
              ("objcopy --strip-debug --add-gnu-debuglink=" + debug + " " + self + " " + module).c_str()) ==
          0);
  std::filesystem::remove(debug);
  REQUIRE(mkfifo(debug.c_str(), 0600) == 0);
  // Before: libdwfl's standard search opened the FIFO and waited for a writer for ever.
  SymbolModule symbols(module, 0x400000);
  CHECK(symbols.error().empty());
  auto snapshot = snapshot_of({{module, "", program_base(), 0x100000, false}}, plain_call_offset());
  auto result = symbolise(snapshot);
  CHECK(result.unreadable.empty());
  std::filesystem::remove_all(name);
}
