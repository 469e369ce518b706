#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstring>

#include "test_support.hpp"

using prof::core::AtomicFile;
using namespace prof::test;

namespace {

struct Dir {
  TempDir temp;
  int fd = ::open(temp.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ~Dir() { ::close(fd); }
};

void write_all(int fd, const std::string& text) {
  REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
}

}  // namespace

TEST_CASE("atomic_file publishes under the final name and leaves no temporary", "[atomic_file]") {
  Dir dir;
  AtomicFile file;
  int fd = file.create(dir.fd, "prog", 77);
  REQUIRE(fd >= 0);
  std::string temp = file.temp_name();
  CHECK(temp.rfind(".prog.77.", 0) == 0);
  CHECK(temp.size() == std::strlen(".prog.77.XXXXXX.tmp"));
  CHECK(temp.substr(temp.size() - 4) == ".tmp");
  CHECK(fs::exists(dir.temp.path() / temp));
  write_all(fd, "{}");
  REQUIRE(file.commit("prog.77"));
  CHECK(std::string(file.final_name()) == "prog.77.prof.json");
  CHECK(entries_in(dir.temp.path()) == std::vector<std::string>{"prog.77.prof.json"});
  CHECK(read_text(dir.temp.path() / "prog.77.prof.json") == "{}");
}

TEST_CASE("atomic_file adds -2, -3 when the name is taken and never overwrites", "[atomic_file]") {
  Dir dir;
  std::ofstream(dir.temp.path() / "prog.5.prof.json") << "first";
  std::ofstream(dir.temp.path() / "prog.5-2.prof.json") << "second";
  AtomicFile file;
  int fd = file.create(dir.fd, "prog", 5);
  REQUIRE(fd >= 0);
  write_all(fd, "third");
  REQUIRE(file.commit("prog.5"));
  CHECK(std::string(file.final_name()) == "prog.5-3.prof.json");
  CHECK(read_text(dir.temp.path() / "prog.5.prof.json") == "first");
  CHECK(read_text(dir.temp.path() / "prog.5-2.prof.json") == "second");
  CHECK(read_text(dir.temp.path() / "prog.5-3.prof.json") == "third");
  CHECK(entries_in(dir.temp.path()).size() == 3);
}

TEST_CASE("atomic_file does not follow or replace a symlink at the final name", "[atomic_file]") {
  Dir dir;
  fs::path victim = dir.temp.path() / "victim.txt";
  std::ofstream(victim) << "keep me";
  fs::create_symlink(victim, dir.temp.path() / "prog.9.prof.json");
  fs::create_symlink(dir.temp.path() / "missing", dir.temp.path() / "prog.9-2.prof.json");  // dangling
  AtomicFile file;
  int fd = file.create(dir.fd, "prog", 9);
  REQUIRE(fd >= 0);
  write_all(fd, "{}");
  REQUIRE(file.commit("prog.9"));
  CHECK(std::string(file.final_name()) == "prog.9-3.prof.json");
  CHECK(read_text(victim) == "keep me");
  CHECK(fs::is_symlink(dir.temp.path() / "prog.9.prof.json"));
  CHECK(fs::is_symlink(dir.temp.path() / "prog.9-2.prof.json"));
  CHECK_FALSE(fs::exists(dir.temp.path() / "missing"));
  CHECK(read_text(dir.temp.path() / "prog.9-3.prof.json") == "{}");
}

TEST_CASE("atomic_file removes the temporary when it fails or is discarded", "[atomic_file]") {
  Dir dir;
  {
    AtomicFile file;
    REQUIRE(file.create(dir.fd, "prog", 1) >= 0);
    std::string long_stem(300, 's');
    CHECK_FALSE(file.commit(long_stem.c_str()));
    CHECK(errno == ENAMETOOLONG);
  }
  {
    AtomicFile file;
    REQUIRE(file.create(dir.fd, "prog", 2) >= 0);
    file.discard();
  }
  {
    AtomicFile file;
    REQUIRE(file.create(dir.fd, "prog", 3) >= 0);
  }  // destroyed without commit
  CHECK(entries_in(dir.temp.path()).empty());
}

TEST_CASE("atomic_file reports a directory it cannot create in", "[atomic_file]") {
  AtomicFile file;
  errno = 0;
  CHECK(file.create(-1, "prog", 1) == -1);
  CHECK(errno == EBADF);
}
