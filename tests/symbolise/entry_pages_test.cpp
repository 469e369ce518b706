// A symbol-cache entry read a page at a time (viewer/symbolise/entry_pages.hpp): values that straddle pages
// come back whole, reads past the end fail, a file cut after it was opened fails instead of answering, and
// only files of ours of a sane size are opened.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "symbolise/entry_pages.hpp"

using prof::viewer::EntryPages;
namespace fs = std::filesystem;

namespace {

constexpr long kNeverTouch = 1L << 40;

// A file of `bytes` bytes whose byte i is (i * 7 + i / 251) & 0xFF: every offset tells where it came from.
struct PatternFile {
  fs::path path;
  std::string bytes;
  explicit PatternFile(std::size_t size) {
    char name[] = "/tmp/prof-entry-pages-test.XXXXXX";
    int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
    for (std::size_t i = 0; i < size; ++i)
      bytes.push_back(static_cast<char>((i * 7 + i / 251) & 0xFF));
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~PatternFile() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
  std::uint64_t u64_at(std::size_t at) const {
    std::uint64_t value = 0;
    std::memcpy(&value, bytes.data() + at, sizeof value);
    return value;
  }
};

}  // namespace

TEST_CASE("an entry read by pages gives the bytes of the file, across page boundaries") {
  PatternFile file(3 * 4096 + 123);
  EntryPages entry = EntryPages::open(file.path.string(), 1 << 20, kNeverTouch);
  REQUIRE(entry.size() == file.bytes.size());
  for (std::size_t at :
       {std::size_t{0}, std::size_t{4090}, std::size_t{4096}, std::size_t{8188}, file.bytes.size() - 8}) {
    std::uint64_t value = 0;
    REQUIRE(entry.get(at, value));
    CHECK(value == file.u64_at(at));
  }
  auto text = entry.text(4000, 5000);  // three pages
  REQUIRE(text);
  CHECK(*text == file.bytes.substr(4000, 5000));
  std::uint64_t value = 0;
  CHECK_FALSE(entry.get(file.bytes.size() - 7, value));
  CHECK_FALSE(entry.text(file.bytes.size(), 1));
  entry.read_all();  // the same answers from the whole
  REQUIRE(entry.get(8188, value));
  CHECK(value == file.u64_at(8188));
  CHECK(*entry.text(1, file.bytes.size() - 1) == file.bytes.substr(1));
}

TEST_CASE("an entry cut after it was opened fails every read from then on") {
  PatternFile file(4 * 4096);
  EntryPages entry = EntryPages::open(file.path.string(), 1 << 20, kNeverTouch);
  std::uint64_t value = 0;
  REQUIRE(entry.get(0, value));
  REQUIRE(::truncate(file.path.c_str(), 4096 + 100) == 0);
  CHECK_FALSE(entry.get(2 * 4096, value));
  // Once the file proved changed nothing of it counts: not page 1, still there, nor page 0, read before.
  CHECK_FALSE(entry.get(4096, value));
  CHECK_FALSE(entry.get(8, value));
  entry.read_all();
  CHECK_FALSE(entry.get(8, value));
}

TEST_CASE("only a regular file of ours, not empty and not above the bound, is opened as an entry") {
  PatternFile file(100);
  CHECK(EntryPages::open(file.path.string(), 100, kNeverTouch).size() == 100);
  CHECK(EntryPages::open(file.path.string(), 99, kNeverTouch).empty());
  CHECK(EntryPages::open("/tmp", 1 << 20, kNeverTouch).empty());
  CHECK(EntryPages::open(file.path.string() + ".missing", 1 << 20, kNeverTouch).empty());
  PatternFile empty(0);
  CHECK(EntryPages::open(empty.path.string(), 1 << 20, kNeverTouch).empty());
  fs::path link = file.path.string() + ".link";
  fs::create_symlink(file.path, link);
  CHECK(EntryPages::open(link.string(), 1 << 20, kNeverTouch).empty());
  fs::remove(link);
}
