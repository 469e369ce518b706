#pragma once
// libprof's start (ELF constructor: the recorder core, PROF_SCOPES, PROF_MAX_DEPTH, calibration, the shim
// hand-over) and end (the exit snapshot when no shim writes one).

namespace prof::scopes {

void start_library(int argc, char** argv, char** envp) noexcept;
void stop_library() noexcept;

// A fork child numbers its own on-demand snapshots from 1.
void restart_snapshot_numbering() noexcept;

}  // namespace prof::scopes
