#pragma once
// The memory tracer's part of the snapshot: top-level "modules", "frames", "stacks" (raw addresses, to be
// symbolised outside the process) and "memory" (summary, sites, timeline); docs/SNAPSHOT.md.

#include <cstdint>

namespace prof::preload::memory::section {

// Another instrument's stacks (the sampler's), written after the memory sites' in the shared "frames" and
// "stacks" tables so the viewer symbolises them the same way. `prepare` is called once per snapshot as the
// tables are built, with the index the source's first stack gets; it returns how many stacks to write.
struct StackSource {
  std::uint32_t (*prepare)(std::uint32_t first_stack) noexcept;
  const std::uintptr_t* (*frames)(std::uint32_t i, std::uint32_t& depth) noexcept;
};
void set_stack_source(StackSource source) noexcept;

// Registers the four writers with the core, in that order (modules first: it prepares the others' tables).
void register_writers() noexcept;

}  // namespace prof::preload::memory::section
