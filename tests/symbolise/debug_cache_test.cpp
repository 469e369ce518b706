// Separate debug files with compressed DWARF (as distributions ship them) are decompressed once into the
// cache and read from the copy afterwards (issue 13: libc's took 60 ms of CPU in every `prof run`).
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

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

std::vector<fs::path> copies_in(const fs::path& cache) {
  std::vector<fs::path> copies;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(cache, ignored))
    if (entry.path().extension() == ".debug") copies.push_back(entry.path());
  return copies;
}

ino_t inode_of(const fs::path& path) {
  struct stat status {};
  REQUIRE(::stat(path.c_str(), &status) == 0);
  return status.st_ino;
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

// A fresh folder with the split program, and PROF_DEBUG_CACHE set to `cache_setting` (its own "cache" folder
// when none is given). `ready` is false when binutils could not split it (the test then skips).
struct SplitProgram {
  Folder folder;
  fs::path cache = folder.path / "cache";
  std::string program = (folder.path / "program").string();
  bool ready = split_with_compressed_debug(folder.path);
  explicit SplitProgram(const char* cache_setting = nullptr) {
    ::setenv("PROF_DEBUG_CACHE", cache_setting ? cache_setting : cache.c_str(), 1);
    if (!ready) WARN("objcopy is missing or failed: skipped");
  }
};

}  // namespace

TEST_CASE("compressed DWARF in a separate debug file is decompressed once, then read from the cache") {
  SplitProgram split;
  if (!split.ready) return;

  SymbolModule first(split.program, program_base());
  REQUIRE(first.error().empty());
  REQUIRE_FALSE(first.build_id().empty());
  CHECK(named_plain_caller(first.lookup(plain_call_address())));
  auto copies = copies_in(split.cache);
  REQUIRE(copies.size() == 1);
  CHECK(copies[0].filename().string().starts_with(first.build_id() + "-"));
  // Decompressed: larger than the compressed file it was made from.
  CHECK(fs::file_size(copies[0]) > fs::file_size(split.folder.path / "program.debug"));
  auto made = inode_of(copies[0]);

  // The next symbolisation maps the same copy: not made again (a new copy is a new inode, renamed in).
  SymbolModule second(split.program, program_base());
  CHECK(named_plain_caller(second.lookup(plain_call_address())));
  REQUIRE(copies_in(split.cache).size() == 1);
  CHECK(inode_of(copies[0]) == made);
}

TEST_CASE("a copy serves only the debug file it was made from") {
  SplitProgram split;
  if (!split.ready) return;
  CHECK(named_plain_caller(SymbolModule(split.program, program_base()).lookup(plain_call_address())));
  REQUIRE(copies_in(split.cache).size() == 1);
  // Another file with the same build id (here the same bytes, as a crafted one would claim libc's): its own
  // copy, never the first one.
  auto other = split.folder.path / "other";
  fs::create_directory(other);
  fs::copy_file(split.folder.path / "program", other / "program");
  fs::copy_file(split.folder.path / "program.debug", other / "program.debug");
  CHECK(named_plain_caller(
      SymbolModule((other / "program").string(), program_base()).lookup(plain_call_address())));
  CHECK(copies_in(split.cache).size() == 2);
}

TEST_CASE("a cached copy that carries another build id is not used, and is made again") {
  SplitProgram split;
  if (!split.ready) return;
  SymbolModule first(split.program, program_base());
  REQUIRE(named_plain_caller(first.lookup(plain_call_address())));  // the DWARF is read at the first lookup
  auto copies = copies_in(split.cache);
  REQUIRE(copies.size() == 1);
  // Another binary's debug information under this copy's name.
  fs::copy_file("/bin/true", copies[0], fs::copy_options::overwrite_existing);
  auto planted = fs::file_size(copies[0]);

  SymbolModule again(split.program, program_base());
  CHECK(named_plain_caller(again.lookup(plain_call_address())));
  CHECK(fs::file_size(copies[0]) != planted);
}

TEST_CASE("PROF_DEBUG_CACHE=0 reads compressed DWARF in place and writes no copy") {
  SplitProgram split("0");
  if (!split.ready) return;
  CHECK(debug_cache_folder().empty());
  SymbolModule module(split.program, program_base());
  CHECK(named_plain_caller(module.lookup(plain_call_address())));
  // Nothing new beside the program and its debug file.
  CHECK(std::distance(fs::directory_iterator(split.folder.path), fs::directory_iterator()) == 2);
}

TEST_CASE("a debug file found by build id (libc6-dbg's libc) is read from its copy from the second time on") {
  Dl_info info{};
  auto* address = reinterpret_cast<void*>(&qsort);
  REQUIRE(dladdr(address, &info) != 0);
  auto base = static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(info.dli_fbase));
  auto id = SymbolModule(info.dli_fname, base).build_id();
  if (id.size() < 4 ||
      !fs::exists("/usr/lib/debug/.build-id/" + id.substr(0, 2) + "/" + id.substr(2) + ".debug")) {
    WARN("no debug file for libc under /usr/lib/debug/.build-id: skipped");
    return;
  }
  Folder folder;
  auto cache = folder.path / "cache";
  ::setenv("PROF_DEBUG_CACHE", cache.c_str(), 1);
  auto lookup = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(address));
  SymbolModule first(info.dli_fname, base);
  auto named = first.lookup(lookup);
  auto copies = copies_in(cache);
  if (copies.empty()) {
    WARN("libc's debug file is not compressed: nothing to cache");
    return;
  }
  // libdwfl's own search by build id keeps the Elf it opened: the copy must be found before it runs.
  SymbolModule second(info.dli_fname, base);
  CHECK(second.lookup(lookup).size() == named.size());
  CHECK(second.debug_file() == copies[0].string());
  // The DWARF libdw reads is the copy's, not the compressed original's it would inflate again.
  CHECK(second.debug_file_bytes() == fs::file_size(copies[0]));
}
