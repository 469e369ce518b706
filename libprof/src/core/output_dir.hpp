#pragma once
// Where snapshots go: PROF_OUTPUT, else the working directory, resolved to an absolute path at start because
// programs change directory while they run.

namespace prof::core::output_dir {

// Resolves `prof_output` (may be null or empty: the current directory) against the current directory.
void resolve(const char* prof_output) noexcept;

// The absolute directory, or "" if it could not be resolved.
const char* path() noexcept;

// Opens the directory for *at() calls, creating it (one level, mode 0755) when missing. Returns the fd or -1
// with errno set.
int open_or_create() noexcept;

}  // namespace prof::core::output_dir
