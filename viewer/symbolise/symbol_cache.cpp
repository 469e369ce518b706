#include "symbolise/symbol_cache.hpp"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "symbolise/debug_cache.hpp"

namespace prof::viewer {

namespace {

constexpr char kMagic[8] = {'P', 'R', 'O', 'F', 'S', 'Y', 'M', 'S'};
constexpr std::uint32_t kVersion = 2;  // 2: spans of offsets, fixed-size records read in place
// Far above any real program's entry (python3: 2 700 frames, 200 KB); a bound on what a damaged one costs.
constexpr off_t kMaxEntryBytes = off_t{256} << 20;

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

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

// The entry is read as written, without a parse: its layout has fixed-size records, so a lookup reads the
// spans it passes in a binary search and nothing else (libc's entry, shared by every program, grows with the
// functions runs meet: parsed whole it cost milliseconds at every run). All values are little-endian.
//   magic[8] version:u32 key:u64
//   strings:u32 string_bytes:u32 offsets:u32[strings + 1] bytes[string_bytes]
//   spans:u64 {first:u64 end:u64 frame_first:u32 frame_count:u32}[spans]  (by first offset)
//   frames:u64 {function:u32 file:u32 line:i64 inlined:u32}[frames]       (names and files as string indices)
//   functions:u64 {first:u64 end:u64}[functions]                           (met once: learnt when met again)
// Sizes are checked when the entry is read (they must add up to the file's), values when they are used.
namespace {
constexpr std::uint64_t kHeaderBytes = 20;
constexpr std::uint64_t kSpanBytes = 24;
constexpr std::uint64_t kFrameBytes = 20;
constexpr std::uint64_t kFunctionBytes = 16;

// How many of `count` records of `stride` bytes at `at`, sorted by their first u64, start at or below
// `offset` (the last of them is the one that may hold it); reads past the entry count as above it.
std::uint64_t records_up_to(const EntryPages& entry, std::uint64_t at, std::uint64_t count,
                            std::uint64_t stride, std::uint64_t offset) {
  std::uint64_t low = 0, high = count;
  while (low < high) {
    const std::uint64_t middle = low + (high - low) / 2;
    std::uint64_t first = 0;
    if (entry.get(at + middle * stride, first) && first <= offset)
      low = middle + 1;
    else
      high = middle;
  }
  return low;
}
}  // namespace

SymbolCache::SymbolCache(const std::string& build_id, std::uint64_t key) : key_(key) {
  if (build_id.empty() || key == 0 || build_id.find('/') != std::string::npos) return;
  std::string folder = debug_cache_folder();
  if (folder.empty()) return;
  path_ = fmt::format("{}/{}-{:016x}.symbols", folder, build_id, key);
  EntryPages entry = EntryPages::open(path_, kMaxEntryBytes, kDay);
  if (entry.empty()) return;
  std::uint64_t magic = 0, written_key = 0;
  std::uint32_t version = 0, strings = 0, string_bytes = 0;
  if (!entry.get(0, magic) || std::memcmp(&magic, kMagic, sizeof magic) != 0 || !entry.get(8, version) ||
      version != kVersion || !entry.get(12, written_key) || written_key != key ||
      !entry.get(kHeaderBytes, strings) || !entry.get(kHeaderBytes + 4, string_bytes))
    return;
  Layout layout;
  layout.strings = strings;
  layout.offsets_at = kHeaderBytes + 8;
  layout.bytes_at = layout.offsets_at + 4 * (std::uint64_t{strings} + 1);
  layout.string_bytes = string_bytes;
  std::uint64_t spans_count_at = layout.bytes_at + string_bytes;
  std::uint64_t spans = 0, frames = 0;
  if (!entry.get(spans_count_at, spans) || spans > entry.size() / kSpanBytes) return;
  layout.spans = spans;
  layout.spans_at = spans_count_at + 8;
  std::uint64_t frames_count_at = layout.spans_at + spans * kSpanBytes;
  if (!entry.get(frames_count_at, frames) || frames > entry.size() / kFrameBytes) return;
  layout.frames = frames;
  layout.frames_at = frames_count_at + 8;
  std::uint64_t functions_count_at = layout.frames_at + frames * kFrameBytes, functions = 0;
  if (!entry.get(functions_count_at, functions) || functions > entry.size() / kFunctionBytes) return;
  layout.functions = functions;
  layout.functions_at = functions_count_at + 8;
  if (layout.functions_at + functions * kFunctionBytes != entry.size())
    return;  // cut short, or a lying count
  entry_ = std::move(entry);
  layout_ = layout;
}

std::optional<SymbolCache::Span> SymbolCache::read_span(std::uint64_t index) const {
  Span span{};
  const std::uint64_t at = layout_.spans_at + index * kSpanBytes;
  if (index >= layout_.spans || !entry_.get(at, span.first) || !entry_.get(at + 8, span.end) ||
      !entry_.get(at + 16, span.frame_first) || !entry_.get(at + 20, span.frame_count) ||
      span.end <= span.first || std::uint64_t{span.frame_first} + span.frame_count > layout_.frames)
    return std::nullopt;
  return span;
}

std::optional<SymbolCache::Frame> SymbolCache::read_frame(std::uint64_t index) const {
  Frame frame{};
  const std::uint64_t at = layout_.frames_at + index * kFrameBytes;
  std::uint32_t inlined = 0;
  if (index >= layout_.frames || !entry_.get(at, frame.function) || !entry_.get(at + 4, frame.file) ||
      !entry_.get(at + 8, frame.line) || !entry_.get(at + 16, inlined) || frame.function >= strings_total() ||
      frame.file >= strings_total())
    return std::nullopt;
  frame.inlined = inlined != 0;
  return frame;
}

std::optional<std::string> SymbolCache::read_string(std::uint32_t index) const {
  if (index >= strings_total()) return std::nullopt;
  if (index >= layout_.strings) return added_strings_[index - layout_.strings];
  std::uint32_t from = 0, to = 0;
  if (!entry_.get(layout_.offsets_at + 4 * std::uint64_t{index}, from) ||
      !entry_.get(layout_.offsets_at + 4 * (std::uint64_t{index} + 1), to) || from > to ||
      to > layout_.string_bytes)
    return std::nullopt;
  return entry_.text(layout_.bytes_at + from, to - from);
}

std::optional<std::vector<SourceFrame>> SymbolCache::frames_of(const Span& span, bool read) const {
  std::vector<SourceFrame> frames;
  frames.reserve(span.frame_count);
  for (std::uint32_t i = 0; i < span.frame_count; ++i) {
    auto frame =
        read ? read_frame(span.frame_first + i) : std::optional<Frame>(added_frames_[span.frame_first + i]);
    if (!frame) return std::nullopt;
    auto function = read_string(frame->function);
    auto file = read_string(frame->file);
    if (!function || !file) return std::nullopt;
    frames.push_back({std::move(*function), std::move(*file), frame->line, frame->inlined});
  }
  return frames;
}

std::optional<std::vector<SourceFrame>> SymbolCache::find(std::uint64_t offset) const {
  auto added = added_.upper_bound(offset);
  if (added != added_.begin() && offset < std::prev(added)->second.end)
    return frames_of(std::prev(added)->second, false);
  // The last span read that starts at or below the offset.
  const std::uint64_t low = records_up_to(entry_, layout_.spans_at, layout_.spans, kSpanBytes, offset);
  if (low == 0) return std::nullopt;
  auto span = read_span(low - 1);
  if (!span) {
    damaged_ = true;
    return std::nullopt;
  }
  if (offset >= span->end) return std::nullopt;
  auto frames = frames_of(*span, true);
  if (!frames) damaged_ = true;
  return frames;
}

bool SymbolCache::met(std::uint64_t offset) const {
  // Only an earlier run's meetings count: the return addresses of one run's stacks meet many functions more
  // than once, and learning those would cost that run what it was meant to spare the next ones.
  if (damaged_) return false;  // the entry read counts for nothing
  const std::uint64_t low =
      records_up_to(entry_, layout_.functions_at, layout_.functions, kFunctionBytes, offset);
  std::uint64_t end = 0;
  return low > 0 && entry_.get(layout_.functions_at + (low - 1) * kFunctionBytes + 8, end) && offset < end;
}

void SymbolCache::meet(std::uint64_t first, std::uint64_t end) {
  if (path_.empty() || end <= first) return;
  met_.emplace(first, end);
}

std::uint32_t SymbolCache::intern(const std::string& text) {
  if (string_index_.empty()) {
    entry_.read_all();
    for (std::uint32_t i = 0; i < layout_.strings; ++i)
      if (auto known = read_string(i)) string_index_.emplace(std::move(*known), i);
  }
  auto [it, added] = string_index_.emplace(text, strings_total());
  if (added) added_strings_.push_back(text);
  return it->second;
}

void SymbolCache::add(std::uint64_t first, std::uint64_t end, std::vector<SourceFrame> frames) {
  if (path_.empty() || end <= first) return;
  Span span{first, end, static_cast<std::uint32_t>(added_frames_.size()),
            static_cast<std::uint32_t>(frames.size())};
  for (const auto& frame : frames)
    added_frames_.push_back({intern(frame.function), intern(frame.file), frame.line, frame.inlined});
  added_.insert_or_assign(first, span);
}

void SymbolCache::save() const {
  if (path_.empty() || (added_.empty() && met_.empty())) return;
  // The spans read (none if the entry proved damaged) and those added, by first offset; one added at the
  // first offset of one read replaces it. Their frames are written in the same order.
  struct Written {
    const Span* added;
    std::uint64_t read;
  };
  std::vector<Written> order;
  const std::uint64_t read_spans = damaged_ ? 0 : layout_.spans;
  entry_.read_all();
  auto added = added_.begin();
  std::vector<Span> read(read_spans);
  for (std::uint64_t i = 0; i < read_spans; ++i) {
    auto span = read_span(i);
    if (!span) return;  // damaged after all: the next run makes the entry again
    read[i] = *span;
    for (; added != added_.end() && added->first < span->first; ++added)
      order.push_back({&added->second, 0});
    if (added == added_.end() || added->first != span->first) order.push_back({nullptr, i});
  }
  for (; added != added_.end(); ++added)
    order.push_back({&added->second, 0});
  std::string bytes(kMagic, sizeof kMagic);
  put(bytes, kVersion);
  put(bytes, key_);
  const std::uint32_t strings = strings_total();
  std::vector<std::string> texts;
  std::uint32_t string_bytes = 0;
  for (std::uint32_t i = 0; i < strings; ++i) {
    auto text = read_string(i);
    if (!text) return;
    string_bytes += static_cast<std::uint32_t>(text->size());
    texts.push_back(std::move(*text));
  }
  put(bytes, strings);
  put(bytes, string_bytes);
  std::uint32_t offset = 0;
  for (const auto& text : texts) {
    put(bytes, offset);
    offset += static_cast<std::uint32_t>(text.size());
  }
  put(bytes, offset);
  for (const auto& text : texts)
    bytes += text;
  put(bytes, static_cast<std::uint64_t>(order.size()));
  std::uint32_t frame_first = 0;
  for (const Written& written : order) {
    const Span& span = written.added ? *written.added : read[written.read];
    put(bytes, span.first);
    put(bytes, span.end);
    put(bytes, frame_first);
    put(bytes, span.frame_count);
    frame_first += span.frame_count;
  }
  put(bytes, static_cast<std::uint64_t>(frame_first));
  for (const Written& written : order) {
    const Span& span = written.added ? *written.added : read[written.read];
    for (std::uint32_t i = 0; i < span.frame_count; ++i) {
      auto frame = written.added ? std::optional<Frame>(added_frames_[span.frame_first + i])
                                 : read_frame(span.frame_first + i);
      if (!frame) return;
      put(bytes, frame->function);
      put(bytes, frame->file);
      put(bytes, frame->line);
      put(bytes, static_cast<std::uint32_t>(frame->inlined));
    }
  }
  std::map<std::uint64_t, std::uint64_t> functions = met_;
  for (std::uint64_t i = 0; i < (damaged_ ? 0 : layout_.functions); ++i) {
    std::uint64_t first = 0, end = 0;
    const std::uint64_t at = layout_.functions_at + i * kFunctionBytes;
    if (entry_.get(at, first) && entry_.get(at + 8, end) && first < end) functions.emplace(first, end);
  }
  put(bytes, static_cast<std::uint64_t>(functions.size()));
  for (const auto& [first, end] : functions) {
    put(bytes, first);
    put(bytes, end);
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
