#include "output_file.hpp"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "error.hpp"

namespace prof::viewer {

namespace {

// Removes the temporary file unless it was moved into place.
struct TemporaryFile {
  std::string path;
  bool kept = false;
  ~TemporaryFile() {
    if (!kept && !path.empty()) ::unlink(path.c_str());
  }
};

}  // namespace

void check_output_path(const std::string& path, bool force) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) throw UserError(path, "is a directory; -o wants a file name");
  if (!force) throw UserError(path, "exists already (give --force to replace it)");
}

void write_output_file(const std::string& path, bool force, const std::function<void(std::ostream&)>& write) {
  auto directory = std::filesystem::path(path).parent_path();
  auto name = std::filesystem::path(path).filename().string();
  std::string pattern = (directory.empty() ? std::string(".") : directory.string()) + "/." + name + ".XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  int fd = ::mkstemp(buffer.data());
  if (fd < 0) throw UserError(path, std::string("cannot create a file there: ") + std::strerror(errno));
  ::close(fd);
  TemporaryFile temporary{buffer.data()};
  {
    std::ofstream out(temporary.path, std::ios::binary | std::ios::trunc);
    write(out);
    out.flush();
    if (!out) throw UserError(path, "cannot write the file (disk full?)");
  }
  ::chmod(temporary.path.c_str(), 0644);  // mkstemp's 0600 would hide it from a viewer run by someone else
  if (force) {
    if (::rename(temporary.path.c_str(), path.c_str()) != 0)
      throw UserError(path, std::string("cannot rename into place: ") + std::strerror(errno));
  } else {
    // link() fails with EEXIST rather than replace: a file that appeared since the check is kept.
    if (::link(temporary.path.c_str(), path.c_str()) != 0)
      throw UserError(path, errno == EEXIST ? std::string("exists already (give --force to replace it)")
                                            : std::string("cannot create it: ") + std::strerror(errno));
  }
  temporary.kept = force;  // after link() the temporary name is removed by the destructor
}

void write_output_file(const std::string& path, bool force, std::string_view contents) {
  write_output_file(path, force, [&](std::ostream& out) {
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  });
}

}  // namespace prof::viewer
