#pragma once
// The loaded objects (dl_iterate_phdr): where each is mapped and its GNU build id, so raw return addresses
// become (module, offset) pairs that can be symbolised in another process, on another machine.

#include <cstdint>

namespace prof::preload::memory::modules {

constexpr int kMaxModules = 1024;
constexpr int kMaxBuildId = 64;

struct Module {
  const char* path;
  std::uintptr_t base;       // load bias: offsets are relative to it
  std::uintptr_t low, high;  // mapped range of the PT_LOAD segments
  unsigned char build_id[kMaxBuildId];
  int build_id_size;
  bool unloaded;  // closed with dlclose before the snapshot (memory_unloaded_modules)
};

// Fills `out` (capacity kMaxModules) and returns the count. The main program's path comes from
// /proc/self/exe. The paths point into the loader's memory: use them before anything is dlclose'd.
int collect(Module* out) noexcept;

// Index of the module containing the address, or -1.
int find(const Module* list, int count, std::uintptr_t address) noexcept;

}  // namespace prof::preload::memory::modules
