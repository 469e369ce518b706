#pragma once
// Decides whether this process writes its snapshot, remembers how it is ending, and writes the snapshot
// exactly once.

#include "core/process_meta.hpp"

namespace prof::preload::recorder {

// Reads PROF_FOLLOW and PROF_ROOT_PID from the start environment.
void init(char** envp) noexcept;

// A fork child starts over: nothing written, no exit code yet.
void reset_after_fork() noexcept;

// True when this image belongs to the running process (not a vfork/clone child sharing its memory) and the
// follow policy lets this process write.
bool owns_process() noexcept;

// Remembers the code passed to exit or returned by main (ignored in a vfork child).
void record_exit_code(int code) noexcept;

// Writes the snapshot with the recorded exit code (0 if none was recorded), once.
void finish_exited() noexcept;

// Writes an on-demand snapshot (exit status "running") for libprof::prof; false when this process does not
// write snapshots (follow policy) or the write failed.
bool write_on_demand(const char* label, int sequence) noexcept;

// Writes the snapshot of the image about to be replaced by exec: exit status "running", label "exec", no
// sequence. If the exec fails, exec_failed() removes it: the process goes on, and its own exit snapshot
// (the true exit, every allocation) must be the only one for the pid, under the plain name.
bool write_before_exec() noexcept;
void exec_failed() noexcept;

// False with --no-follow (PROF_FOLLOW=0): the programs this process execs must not load the shim.
bool follows_children() noexcept;

// Writes the snapshot for a fatal signal, once.
void finish_signaled(int signal) noexcept;

}  // namespace prof::preload::recorder
