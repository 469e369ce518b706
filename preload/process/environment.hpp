#pragma once
// --no-follow: the shim takes itself out of LD_PRELOAD so the programs this process starts do not load it.
// Never through unsetenv/setenv (bash replaces them with its own, and they allocate): the strings of
// `environ` are edited in place, and an exec's explicit envp is copied onto the stack with a shortened entry.

#include <cstddef>

namespace prof::preload::environment {

// Removes every LD_PRELOAD entry whose file name is libprof_preload.so or libprof_mpi.so from `value`
// (entries separated by ':' or ' '), in place. Returns true when something was removed.
bool remove_shim(char* value) noexcept;

// Edits environ's LD_PRELOAD in place (the process start: its strings are on the writable initial stack).
void remove_shim_from_environ() noexcept;

// An envp for exec without the shim: `envp` itself when it has no shim entry, else a copy in `slots` (the
// entry rewritten into `text`). Allocation-free and without writing to `envp`: a vfork child shares it.
char* const* without_shim(char* const* envp, char** slots, std::size_t slot_count, char* text,
                          std::size_t text_size) noexcept;

}  // namespace prof::preload::environment
