#include "symbolise/debug_cache.hpp"

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "symbolise/identity_hash.hpp"

namespace prof::viewer {

namespace {

bool absolute(const char* path) {
  return path && path[0] == '/';
}

std::string hex_of(const unsigned char* bytes, int length) {
  std::string hex;
  for (int i = 0; i < length; ++i)
    hex += fmt::format("{:02x}", bytes[i]);
  return hex;
}

// Ours and writable by us alone: nobody else can plant a debug file that our reports would then trust.
bool private_folder(const std::string& folder) {
  struct stat status {};
  return ::lstat(folder.c_str(), &status) == 0 && S_ISDIR(status.st_mode) && status.st_uid == ::geteuid() &&
         (status.st_mode & 022) == 0;
}

// The file's own build id equals `build_id`: a copy from another binary (or a half-written one) is not used.
bool carries_build_id(int fd, const unsigned char* build_id, int length) {
  Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
  if (!elf) return false;
  const void* found = nullptr;
  ssize_t found_length = dwelf_elf_gnu_build_id(elf, &found);
  bool same = found_length == length && std::memcmp(found, build_id, static_cast<std::size_t>(length)) == 0;
  elf_end(elf);
  return same;
}

bool has_compressed_dwarf(int fd) {
  Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
  if (!elf) return false;
  std::size_t names = 0;
  bool compressed = false;
  if (elf_getshdrstrndx(elf, &names) == 0)
    for (Elf_Scn* section = elf_nextscn(elf, nullptr); section && !compressed;
         section = elf_nextscn(elf, section)) {
      GElf_Shdr header;
      if (!gelf_getshdr(section, &header) || !(header.sh_flags & SHF_COMPRESSED)) continue;
      const char* name = elf_strptr(elf, names, header.sh_name);
      compressed = name && std::strncmp(name, ".debug_", 7) == 0;
    }
  elf_end(elf);
  return compressed;
}

// The ELF file `in` with its compressed sections decompressed, written to `out`: the same sections in the
// same order (indices and the section-name table stay valid), laid out again by libelf. The notes' program
// headers follow their sections, so readers that find the build id through them still do.
bool write_decompressed(int in, int out) {
  Elf* from = elf_begin(in, ELF_C_READ, nullptr);
  if (!from) return false;
  Elf* to = elf_begin(out, ELF_C_WRITE, nullptr);
  bool ok = to != nullptr;
  GElf_Ehdr header;
  std::size_t segments = 0;
  ok = ok && gelf_getehdr(from, &header) && elf_getphdrnum(from, &segments) == 0 &&
       gelf_newehdr(to, gelf_getclass(from)) && (segments == 0 || gelf_newphdr(to, segments));
  for (std::size_t i = 0; ok && i < segments; ++i) {
    GElf_Phdr segment;
    ok = gelf_getphdr(from, static_cast<int>(i), &segment) &&
         gelf_update_phdr(to, static_cast<int>(i), &segment);
  }
  std::vector<GElf_Addr> note_addresses;
  for (Elf_Scn* section = elf_nextscn(from, nullptr); ok && section; section = elf_nextscn(from, section)) {
    GElf_Shdr section_header;
    ok = gelf_getshdr(section, &section_header) != nullptr;
    if (ok && (section_header.sh_flags & SHF_COMPRESSED))
      ok = elf_compress(section, 0, 0) >= 0 && gelf_getshdr(section, &section_header) != nullptr;
    Elf_Scn* copy = ok ? elf_newscn(to) : nullptr;
    ok = copy && gelf_update_shdr(copy, &section_header);
    if (Elf_Data* data = ok ? elf_getdata(section, nullptr) : nullptr) {
      Elf_Data* copied = elf_newdata(copy);
      ok = copied != nullptr;
      if (ok) *copied = *data;
    }
  }
  ok = ok && gelf_update_ehdr(to, &header) && elf_update(to, ELF_C_NULL) >= 0;
  for (std::size_t i = 0; ok && i < segments; ++i) {
    GElf_Phdr segment;
    if (!gelf_getphdr(to, static_cast<int>(i), &segment) || segment.p_type != PT_NOTE) continue;
    for (Elf_Scn* section = elf_nextscn(to, nullptr); section; section = elf_nextscn(to, section)) {
      GElf_Shdr section_header;
      if (gelf_getshdr(section, &section_header) && section_header.sh_type == SHT_NOTE &&
          section_header.sh_addr == segment.p_vaddr) {
        segment.p_offset = section_header.sh_offset;
        ok = gelf_update_phdr(to, static_cast<int>(i), &segment);
        break;
      }
    }
  }
  ok = ok && elf_update(to, ELF_C_WRITE) >= 0;
  if (to) elf_end(to);
  elf_end(from);
  return ok && ::fsync(out) == 0;
}

// Which file a copy was made from, and which version of it.
std::uint64_t identity_hash(const struct stat& file) {
  IdentityHash hash;
  hash.add(file);
  return hash.value();
}

// The copy at `candidate`, a regular file of ours that carries `build_id`; -1 otherwise.
int open_copy(const std::string& candidate, const unsigned char* build_id, int length, std::string& path) {
  int fd = ::open(candidate.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat status {};
  if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && status.st_uid == ::geteuid() &&
      carries_build_id(fd, build_id, length)) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    path = candidate;
    return fd;
  }
  ::close(fd);
  return -1;
}

}  // namespace

std::string debug_cache_folder() {
  std::string folder;
  const char* chosen = std::getenv("PROF_DEBUG_CACHE");
  if (chosen && std::strcmp(chosen, "0") == 0) return {};
  if (absolute(chosen)) {
    folder = chosen;
  } else if (const char* xdg = std::getenv("XDG_CACHE_HOME"); absolute(xdg)) {
    folder = std::string(xdg) + "/prof/debug";
  } else if (const char* home = std::getenv("HOME"); absolute(home)) {
    folder = std::string(home) + "/.cache/prof/debug";
  } else {
    return {};
  }
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  return private_folder(folder) ? folder : std::string();
}

namespace {

// The copy's name for the debug file `fd`: "" when there is no cache or no identity.
std::string copy_path(int fd, const unsigned char* build_id, int length) {
  struct stat original {};
  if (fd < 0 || length <= 0 || ::fstat(fd, &original) != 0) return {};
  std::string folder = debug_cache_folder();
  if (folder.empty()) return {};
  return folder + "/" + hex_of(build_id, length) + "-" + fmt::format("{:016x}", identity_hash(original)) +
         ".debug";
}

}  // namespace

int cached_copy(int fd, const unsigned char* build_id, int length, std::string& path) {
  std::string copy = copy_path(fd, build_id, length);
  return copy.empty() ? -1 : open_copy(copy, build_id, length, path);
}

bool make_copy(int fd, const unsigned char* build_id, int length) {
  std::string copy = copy_path(fd, build_id, length);
  if (copy.empty() || !has_compressed_dwarf(fd)) return false;
  // Written beside its final name and renamed once complete: concurrent runs (MPI ranks) each write their
  // own, and a reader sees a whole copy or none.
  auto name = std::filesystem::path(copy);
  // fmt, not `"." + std::string`: g++ 12 at -O3 raises a false -Wrestrict inside libstdc++ on that.
  std::string temp = (name.parent_path() / fmt::format(".{}.XXXXXX", name.filename().string())).string();
  int out = ::mkostemp(temp.data(), O_CLOEXEC);
  if (out < 0) return false;
  bool written = write_decompressed(fd, out);
  ::close(out);
  if (written && ::rename(temp.c_str(), copy.c_str()) == 0) return true;
  ::unlink(temp.c_str());
  return false;
}

int decompressed_debug(int fd, const unsigned char* build_id, int length, std::string& path) {
  int copy = cached_copy(fd, build_id, length, path);
  if (copy < 0 && make_copy(fd, build_id, length)) copy = cached_copy(fd, build_id, length, path);
  if (copy < 0) return fd;
  ::close(fd);
  return copy;
}

}  // namespace prof::viewer
