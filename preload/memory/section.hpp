#pragma once
// The memory tracer's part of the snapshot: top-level "modules", "frames", "stacks" (raw addresses, to be
// symbolised outside the process) and "memory" (summary, sites, timeline); docs/SNAPSHOT.md.

namespace prof::preload::memory::section {

// Registers the four writers with the core, in that order (modules first: it prepares the others' tables).
void register_writers() noexcept;

}  // namespace prof::preload::memory::section
