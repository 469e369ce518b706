#pragma once
// What libdw answered for each return address of a module, kept on disk for the next symbolisation of the
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

  // The frames known for `offset` (module-relative), or null.
  const std::vector<SourceFrame>* find(std::uint64_t offset) const;
  void add(std::uint64_t offset, std::vector<SourceFrame> frames);
  // Writes the entry when something was added since it was read.
  void save() const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;  // "" when the cache is off
  std::uint64_t key_ = 0;
  std::unordered_map<std::uint64_t, std::vector<SourceFrame>> frames_;
  bool added_ = false;
};

// The GNU build id of the binary this code runs in (prof, or a test), raw bytes; empty when it has none.
const std::string& symboliser_build_id();

}  // namespace prof::viewer
