#pragma once
// The sampler's part of the snapshot: its stacks go into the shared "frames" and "stacks" tables after the
// memory sites' (memory/section.hpp), and the "samples" section counts samples per stack (docs/SNAPSHOT.md).

namespace prof::preload::sampling::section {

// Registers the "samples" writer (after the memory tracer's, which builds the shared tables) and the stacks.
void register_writer() noexcept;

}  // namespace prof::preload::sampling::section
