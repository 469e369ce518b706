#pragma once
// What libdw answered for the return addresses of a module (and the spans of addresses around them that get
// the same answer, SymbolModule::lookup_span), kept on disk for the next symbolisation of the
// same binary. On a sampled snapshot, reading libc's and the program's DWARF (address ranges, units, line
// tables) was most of `prof run`'s finish; repeated runs of one program, and the MPI ranks of one job, ask
// the same questions of the same files.
//
// An entry lives in the debug cache's folder (debug_cache.hpp: PROF_DEBUG_CACHE, private to the user) and is
// named by the module's build id and a key (SymbolModule::cache_key) over everything the answers depend on:
// the module file's identity, the files a separate debug file could come from, and the symboliser's own
// build. A changed binary, a debug package installed later or a new prof each make a new entry. Entries are
// written to a temporary file and renamed; a damaged one is ignored. They can be deleted at any time, and
// those unused for 30 days (and temporaries a killed run left) are removed when another entry is written (an
// entry read is touched once a day).
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "symbolise/entry_pages.hpp"
#include "symbolise/module.hpp"

namespace prof::viewer {

class SymbolCache {
 public:
  // The entry of a module with `build_id` (hex) and `key`; it starts empty when there is none yet. With no
  // cache folder, no build id or a key of 0 the cache is off: nothing is found or saved.
  SymbolCache(const std::string& build_id, std::uint64_t key);
  SymbolCache() = default;  // off

  // The frames known for `offset` (module-relative), or nothing.
  std::optional<std::vector<SourceFrame>> find(std::uint64_t offset) const;
  // The frames of every offset from `first` to before `end` (SymbolModule::lookup_span): later runs' samples
  // land on other instructions of the same lines and functions.
  void add(std::uint64_t first, std::uint64_t end, std::vector<SourceFrame> frames);
  // Functions (offsets from `first` to before `end`) a lookup has met: one an earlier run met, met again at
  // another address, is learnt whole (SymbolModule::lookup_function), as a sampled program's hot functions
  // are from its second run on; return addresses, the same at every run, never cost that.
  bool met(std::uint64_t offset) const;
  void meet(std::uint64_t first, std::uint64_t end);
  // Writes the entry when something was added since it was read.
  void save() const;

  const std::string& path() const { return path_; }
  bool on() const { return !path_.empty(); }

 private:
  std::string path_;  // "" when the cache is off
  std::uint64_t key_ = 0;
  // The entry as read, used without a parse (symbol_cache.cpp has its layout), and what was added since.
  struct Layout {
    std::uint32_t strings = 0;
    std::uint64_t offsets_at = 0;
    std::uint64_t bytes_at = 0;
    std::uint32_t string_bytes = 0;
    std::uint64_t spans = 0;
    std::uint64_t spans_at = 0;
    std::uint64_t frames = 0;
    std::uint64_t frames_at = 0;
    std::uint64_t functions = 0;
    std::uint64_t functions_at = 0;
  };
  struct Span {
    std::uint64_t first;
    std::uint64_t end;
    std::uint32_t frame_first;
    std::uint32_t frame_count;
  };
  struct Frame {
    std::uint32_t function;  // string index
    std::uint32_t file;
    std::int64_t line;
    bool inlined;
  };
  std::optional<Span> read_span(std::uint64_t index) const;
  std::optional<Frame> read_frame(std::uint64_t index) const;
  std::optional<std::string> read_string(std::uint32_t index) const;
  std::optional<std::vector<SourceFrame>> frames_of(const Span& span, bool read) const;
  std::uint32_t strings_total() const {
    return layout_.strings + static_cast<std::uint32_t>(added_strings_.size());
  }
  std::uint32_t intern(const std::string& text);

  // The entry as read so far (entry_pages.hpp); empty when there was none, or it did not hold together.
  EntryPages entry_;
  Layout layout_;
  mutable bool damaged_ = false;  // a span or frame read did not hold together: not written again
  std::vector<std::string> added_strings_;
  std::unordered_map<std::string, std::uint32_t> string_index_;  // made at the first add
  std::vector<Frame> added_frames_;
  std::map<std::uint64_t, Span> added_;         // by first offset
  std::map<std::uint64_t, std::uint64_t> met_;  // functions met in this run: first offset to end
};

// The GNU build id of the binary this code runs in (prof, or a test), raw bytes; empty when it has none.
const std::string& symboliser_build_id();

}  // namespace prof::viewer
