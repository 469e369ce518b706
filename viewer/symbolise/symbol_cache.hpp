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
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

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
  // Writes the entry when something was added since it was read.
  void save() const;

  const std::string& path() const { return path_; }
  bool on() const { return !path_.empty(); }

 private:
  std::string path_;  // "" when the cache is off
  std::uint64_t key_ = 0;
  // Frames and spans as indices: a function's spans repeat its names and files (libc's entry after a few
  // dozen functions: 230 KB of copies, read at every run).
  struct Frame {
    std::uint32_t function;
    std::uint32_t file;
    std::int64_t line;
    bool inlined;
  };
  struct Known {
    std::uint64_t end;
    std::uint32_t first_frame;
    std::uint32_t frame_count;
  };
  std::uint32_t intern(const std::string& text);

  std::vector<std::string> strings_;
  std::unordered_map<std::string, std::uint32_t> string_index_;  // made at the first add
  std::vector<Frame> frames_;
  std::map<std::uint64_t, Known> known_;  // by first offset
  bool added_ = false;
};

// The GNU build id of the binary this code runs in (prof, or a test), raw bytes; empty when it has none.
const std::string& symboliser_build_id();

}  // namespace prof::viewer
