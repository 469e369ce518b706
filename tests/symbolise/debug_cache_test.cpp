// Separate debug files with compressed DWARF (as distributions ship them) are decompressed once into the
// cache and read from the copy afterwards (issue 13: libc's took 60 ms of CPU in every `prof run`).
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "call_sites.hpp"
#include "symbolise/debug_cache.hpp"
#include "symbolise/module.hpp"

using namespace prof::viewer;
namespace fs = std::filesystem;

namespace {

std::int64_t program_base() {
  Dl_info info{};
  REQUIRE(dladdr(reinterpret_cast<void*>(&symtest::plain_caller), &info) != 0);
  return static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(info.dli_fbase));
}

// The return address inside plain_caller, looked up one byte before as the symboliser does.
std::uint64_t plain_call_address() {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(symtest::plain_caller())) - 1;
}

bool named_plain_caller(const std::vector<SourceFrame>& frames) {
  return !frames.empty() && frames.back().function == "symtest::plain_caller()" &&
         frames.back().line == symtest::kPlainCallLine;
}

struct Folder {
  fs::path path;
  Folder() {
    char name[] = "/tmp/prof-debug-cache-test.XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    path = name;
  }
  ~Folder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
    ::unsetenv("PROF_DEBUG_CACHE");
  }
};

// This test program split as a distribution ships it: the binary stripped of its DWARF, and a separate
// debug file with compressed sections found through .gnu_debuglink beside it. False when binutils is missing.
bool split_with_compressed_debug(const fs::path& folder) {
  auto exe = fs::read_symlink("/proc/self/exe").string();
  auto program = (folder / "program").string();
  auto debug = (folder / "program.debug").string();
  std::string command = "objcopy --only-keep-debug --compress-debug-sections=zlib '" + exe + "' '" + debug +
                        "' && objcopy --strip-debug --add-gnu-debuglink='" + debug + "' '" + exe + "' '" +
                        program + "'";
  return std::system(command.c_str()) == 0;
}

}  // namespace

TEST_CASE("compressed DWARF in a separate debug file is decompressed once, then read from the cache") {
  Folder folder;
  if (!split_with_compressed_debug(folder.path)) {
    WARN("objcopy is missing or failed: skipped");
    return;
  }
  auto cache = folder.path / "cache";
  ::setenv("PROF_DEBUG_CACHE", cache.c_str(), 1);
  auto program = (folder.path / "program").string();

  SymbolModule first(program, program_base());
  REQUIRE(first.error().empty());
  REQUIRE_FALSE(first.build_id().empty());
  CHECK(named_plain_caller(first.lookup(plain_call_address())));
  auto copy = cache / (first.build_id() + ".debug");
  REQUIRE(fs::exists(copy));
  // Decompressed: larger than the compressed file it was made from.
  CHECK(fs::file_size(copy) > fs::file_size(folder.path / "program.debug"));

  // Without the original debug file, the names and lines can only come from the copy.
  fs::remove(folder.path / "program.debug");
  SymbolModule second(program, program_base());
  CHECK(named_plain_caller(second.lookup(plain_call_address())));
}

TEST_CASE("a cached copy that carries another build id is not used, and is made again") {
  Folder folder;
  if (!split_with_compressed_debug(folder.path)) {
    WARN("objcopy is missing or failed: skipped");
    return;
  }
  auto cache = folder.path / "cache";
  ::setenv("PROF_DEBUG_CACHE", cache.c_str(), 1);
  auto program = (folder.path / "program").string();
  SymbolModule first(program, program_base());
  REQUIRE(named_plain_caller(first.lookup(plain_call_address())));  // the DWARF is read at the first lookup
  auto id = first.build_id();
  REQUIRE(fs::exists(cache / (id + ".debug")));
  // Another binary's debug information under this build id's name.
  fs::copy_file("/bin/true", cache / (id + ".debug"), fs::copy_options::overwrite_existing);
  auto planted = fs::file_size(cache / (id + ".debug"));

  SymbolModule again(program, program_base());
  CHECK(named_plain_caller(again.lookup(plain_call_address())));
  CHECK(fs::file_size(cache / (id + ".debug")) != planted);
}

TEST_CASE("PROF_DEBUG_CACHE=0 reads compressed DWARF in place and writes no copy") {
  Folder folder;
  if (!split_with_compressed_debug(folder.path)) {
    WARN("objcopy is missing or failed: skipped");
    return;
  }
  ::setenv("PROF_DEBUG_CACHE", "0", 1);
  CHECK(debug_cache_folder().empty());
  auto program = (folder.path / "program").string();
  SymbolModule module(program, program_base());
  CHECK(named_plain_caller(module.lookup(plain_call_address())));
  // Nothing new beside the program and its debug file.
  CHECK(std::distance(fs::directory_iterator(folder.path), fs::directory_iterator()) == 2);
}
