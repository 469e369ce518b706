#pragma once
// One process, one snapshot: when the preload shim is in the process (`prof run`, LD_PRELOAD), its copy of
// the recorder core writes the snapshot, so libprof hands its sections and its on-demand snapshots to the
// shim instead of writing files of its own. The shim's entry points are found with dlsym at load time.

namespace prof::scopes {

// Looks the shim up; when found (same libprof version), every section registered with libprof's core is
// forwarded to it from now on. Returns whether the shim writes this process's snapshots.
bool connect_to_shim() noexcept;
bool shim_connected() noexcept;

// Asks the shim for an on-demand snapshot; false if it did not write one.
bool shim_write_snapshot(const char* label, int sequence) noexcept;

}  // namespace prof::scopes
