#pragma once
// A symbol-cache entry (symbol_cache.hpp) read a page at a time, as lookups reach it. libc's entry, shared
// by every program, grows with the functions runs meet (750 KB after a day of runs); read whole it cost
// `prof run`'s finish 180 page faults, about 2 ms on a VM where a fault costs 10 us, while a finish's few
// lookups in it touch a dozen pages. Read with pread, not mapped: an entry in a home folder on NFS, replaced
// by another node's rank (or truncated by anyone) while mapped, would end the reader with SIGBUS. A read
// that comes back short (the file was cut) makes every later read fail, of pages read before too: the entry
// then counts as damaged, never as holding what it does not.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace prof::viewer {

class EntryPages {
 public:
  EntryPages() = default;
  // The entry at `path`: only a regular file of ours, of 1 to `max_bytes` bytes; none otherwise. An entry
  // older than `touch_after` seconds is touched (in use: not to be removed as unused).
  static EntryPages open(const std::string& path, std::uint64_t max_bytes, long touch_after);
  EntryPages(EntryPages&& other) noexcept;
  EntryPages& operator=(EntryPages&& other) noexcept;
  EntryPages(const EntryPages&) = delete;
  EntryPages& operator=(const EntryPages&) = delete;
  ~EntryPages();

  bool empty() const { return size_ == 0; }
  std::uint64_t size() const { return size_; }

  // The `bytes` bytes at `at`; false past the end, or when a page could not be read.
  bool copy(std::uint64_t at, void* out, std::size_t bytes) const;
  template <typename T>
  bool get(std::uint64_t at, T& value) const {
    return copy(at, &value, sizeof value);
  }
  std::optional<std::string> text(std::uint64_t at, std::size_t bytes) const;

  // Everything not read yet, in one read: before a walk over the whole entry (rewriting it), where page by
  // page would cost a call each.
  void read_all() const;

 private:
  static constexpr std::size_t kPageBytes = 4096;
  const char* page(std::uint64_t index) const;

  int fd_ = -1;
  std::uint64_t size_ = 0;
  mutable std::vector<std::unique_ptr<char[]>> pages_;  // by page index; null until read
  mutable std::unique_ptr<char[]> whole_;               // after read_all
  mutable bool failed_ = false;                         // a read came back short: the file changed
};

}  // namespace prof::viewer
