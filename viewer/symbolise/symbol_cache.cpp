#include "symbolise/symbol_cache.hpp"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>

#include "symbolise/debug_cache.hpp"

namespace prof::viewer {

namespace {

constexpr char kMagic[8] = {'P', 'R', 'O', 'F', 'S', 'Y', 'M', 'S'};
constexpr std::uint32_t kVersion = 2;  // 2: spans of offsets, names and files in a table
// Far above any real program's entry (python3: 2 700 frames, 200 KB); a bound on what a damaged one costs.
constexpr off_t kMaxEntryBytes = off_t{256} << 20;

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void put_text(std::string& out, const std::string& text) {
  put(out, static_cast<std::uint32_t>(text.size()));
  out += text;
}

// Reads the entry's bytes in order; any read past the end makes the whole entry unusable.
class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  template <typename T>
  T take() {
    T value{};
    if (bytes_.size() - at_ < sizeof value) {
      ok_ = false;
      return value;
    }
    std::memcpy(&value, bytes_.data() + at_, sizeof value);
    at_ += sizeof value;
    return value;
  }
  std::string text() {
    auto length = take<std::uint32_t>();
    if (!ok_ || bytes_.size() - at_ < length) {
      ok_ = false;
      return {};
    }
    std::string value = bytes_.substr(at_, length);
    at_ += length;
    return value;
  }
  bool ok() const { return ok_; }
  std::size_t left() const { return bytes_.size() - at_; }

 private:
  const std::string& bytes_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

// Entries not written or used for this long are removed when another is written: programs rebuilt, or run
// once, leave theirs behind. Used entries are touched at most once a day, and the folder looked through at
// most once a day.
constexpr time_t kDay = 24 * 60 * 60;
constexpr time_t kUnusedFor = 30 * kDay;

bool older_than(const struct stat& status, time_t age) {
  return status.st_mtim.tv_sec < ::time(nullptr) - age;
}

void remove_unused_entries(const std::filesystem::path& folder) {
  auto marker = folder / ".symbols-pruned";
  struct stat status {};
  if (::stat(marker.c_str(), &status) == 0 && !older_than(status, kDay)) return;
  int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return;
  ::futimens(fd, nullptr);
  ::close(fd);
  std::error_code error;
  for (std::filesystem::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    const auto& path = it->path();
    // An entry, or the temporary a run killed between writing and renaming one left (.NAME.symbols.XXXXXX).
    std::string name = path.filename().string();
    bool entry = path.extension() == ".symbols";
    bool leftover = name.starts_with('.') && name.find(".symbols.") != std::string::npos;
    if ((!entry && !leftover) || ::lstat(path.c_str(), &status) != 0 || !S_ISREG(status.st_mode) ||
        status.st_uid != ::geteuid() || !older_than(status, entry ? kUnusedFor : kDay))
      continue;
    ::unlink(path.c_str());
  }
}

// The entry's bytes: only a regular file of ours, of a sane size.
bool read_entry(const std::string& path, std::string& bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat status {};
  bool ok = ::fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && status.st_uid == ::geteuid() &&
            status.st_size > 0 && status.st_size <= kMaxEntryBytes;
  if (ok && older_than(status, kDay)) ::futimens(fd, nullptr);  // in use: not to be removed as unused
  if (ok) {
    bytes.resize(static_cast<std::size_t>(status.st_size));
    std::size_t done = 0;
    while (ok && done < bytes.size()) {
      ssize_t got = ::read(fd, bytes.data() + done, bytes.size() - done);
      ok = got > 0;
      if (ok) done += static_cast<std::size_t>(got);
    }
  }
  ::close(fd);
  return ok;
}

bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote <= 0) return false;
    done += static_cast<std::size_t>(wrote);
  }
  return true;
}

struct BuildIdSearch {
  const void* inside = nullptr;
  std::string id;
};

int find_build_id(dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<BuildIdSearch*>(data);
  auto address = reinterpret_cast<ElfW(Addr)>(search->inside);
  bool holds = false;
  for (int i = 0; i < info->dlpi_phnum && !holds; ++i) {
    const auto& segment = info->dlpi_phdr[i];
    auto start = info->dlpi_addr + segment.p_vaddr;
    holds = segment.p_type == PT_LOAD && address >= start && address < start + segment.p_memsz;
  }
  if (!holds) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& segment = info->dlpi_phdr[i];
    if (segment.p_type != PT_NOTE) continue;
    const char* at = reinterpret_cast<const char*>(info->dlpi_addr + segment.p_vaddr);
    const char* end = at + segment.p_memsz;
    while (at + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) note;
      std::memcpy(&note, at, sizeof note);
      const char* name = at + sizeof note;
      const char* desc = name + ((note.n_namesz + 3) & ~3u);
      if (desc + note.n_descsz > end) break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        search->id.assign(desc, note.n_descsz);
        return 1;
      }
      at = desc + ((note.n_descsz + 3) & ~3u);
    }
  }
  return 1;
}

}  // namespace

const std::string& symboliser_build_id() {
  static const std::string id = [] {
    BuildIdSearch search{reinterpret_cast<const void*>(&find_build_id), {}};
    dl_iterate_phdr(find_build_id, &search);
    return search.id;
  }();
  return id;
}

SymbolCache::SymbolCache(const std::string& build_id, std::uint64_t key) : key_(key) {
  if (build_id.empty() || key == 0 || build_id.find('/') != std::string::npos) return;
  std::string folder = debug_cache_folder();
  if (folder.empty()) return;
  path_ = fmt::format("{}/{}-{:016x}.symbols", folder, build_id, key);
  std::string bytes;
  if (!read_entry(path_, bytes)) return;
  Reader in(bytes);
  std::uint64_t magic = 0;
  std::memcpy(&magic, kMagic, sizeof magic);
  if (in.take<std::uint64_t>() != magic || in.take<std::uint32_t>() != kVersion ||
      in.take<std::uint64_t>() != key)
    return;
  auto string_count = in.take<std::uint32_t>();
  if (!in.ok() || string_count > in.left() / 4) return;  // 4: the smallest string
  strings_.reserve(string_count);
  for (std::uint32_t i = 0; i < string_count && in.ok(); ++i)
    strings_.push_back(in.text());
  auto count = in.take<std::uint64_t>();
  if (!in.ok() || count > in.left() / 20) {  // 20: the smallest record
    strings_.clear();
    return;
  }
  bool sane = true;
  for (std::uint64_t i = 0; i < count && in.ok() && sane; ++i) {
    auto first = in.take<std::uint64_t>();
    auto end = in.take<std::uint64_t>();
    auto frame_count = in.take<std::uint32_t>();
    sane = in.ok() && end > first && frame_count <= in.left() / 17;  // 17: the smallest frame
    if (!sane) break;
    known_.emplace_hint(known_.end(), first,
                        Known{end, static_cast<std::uint32_t>(frames_.size()), frame_count});
    for (std::uint32_t f = 0; f < frame_count && sane; ++f) {
      Frame frame{.function = in.take<std::uint32_t>(),
                  .file = in.take<std::uint32_t>(),
                  .line = in.take<std::int64_t>(),
                  .inlined = in.take<std::uint8_t>() != 0};
      sane = frame.function < strings_.size() && frame.file < strings_.size();
      frames_.push_back(frame);
    }
  }
  if (!sane || !in.ok() || in.left() != 0 || known_.size() != count) {  // damaged: start again
    strings_.clear();
    frames_.clear();
    known_.clear();
  }
}

std::optional<std::vector<SourceFrame>> SymbolCache::find(std::uint64_t offset) const {
  auto above = known_.upper_bound(offset);
  if (above == known_.begin()) return std::nullopt;
  const auto& [first, known] = *std::prev(above);
  if (offset >= known.end) return std::nullopt;
  std::vector<SourceFrame> frames;
  frames.reserve(known.frame_count);
  for (std::uint32_t i = 0; i < known.frame_count; ++i) {
    const Frame& frame = frames_[known.first_frame + i];
    frames.push_back({strings_[frame.function], strings_[frame.file], frame.line, frame.inlined});
  }
  return frames;
}

std::uint32_t SymbolCache::intern(const std::string& text) {
  if (string_index_.empty())
    for (std::uint32_t i = 0; i < strings_.size(); ++i)
      string_index_.emplace(strings_[i], i);
  auto [it, added] = string_index_.emplace(text, static_cast<std::uint32_t>(strings_.size()));
  if (added) strings_.push_back(text);
  return it->second;
}

void SymbolCache::add(std::uint64_t first, std::uint64_t end, std::vector<SourceFrame> frames) {
  if (path_.empty() || end <= first) return;
  Known known{end, static_cast<std::uint32_t>(frames_.size()), static_cast<std::uint32_t>(frames.size())};
  for (const auto& frame : frames)
    frames_.push_back({intern(frame.function), intern(frame.file), frame.line, frame.inlined});
  known_.insert_or_assign(first, known);
  added_ = true;
}

void SymbolCache::save() const {
  if (path_.empty() || !added_) return;
  std::string bytes(kMagic, sizeof kMagic);
  put(bytes, kVersion);
  put(bytes, key_);
  put(bytes, static_cast<std::uint32_t>(strings_.size()));
  for (const auto& text : strings_)
    put_text(bytes, text);
  put(bytes, static_cast<std::uint64_t>(known_.size()));
  for (const auto& [first, known] : known_) {
    put(bytes, first);
    put(bytes, known.end);
    put(bytes, known.frame_count);
    for (std::uint32_t i = 0; i < known.frame_count; ++i) {
      const Frame& frame = frames_[known.first_frame + i];
      put(bytes, frame.function);
      put(bytes, frame.file);
      put(bytes, frame.line);
      put(bytes, static_cast<std::uint8_t>(frame.inlined));
    }
  }
  // Concurrent runs (the ranks of one job) each write their own and rename it: a reader sees a whole entry.
  auto name = std::filesystem::path(path_);
  std::string temp = (name.parent_path() / fmt::format(".{}.XXXXXX", name.filename().string())).string();
  int out = ::mkostemp(temp.data(), O_CLOEXEC);
  if (out < 0) return;
  bool written = write_all(out, bytes);
  ::close(out);
  if (!written || ::rename(temp.c_str(), path_.c_str()) != 0) {
    ::unlink(temp.c_str());
    return;
  }
  remove_unused_entries(name.parent_path());
}

}  // namespace prof::viewer
