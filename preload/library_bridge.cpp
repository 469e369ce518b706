// The shim's side of "one process, one snapshot": libprof::prof, when it finds these entry points (dlsym at
// its load time), registers its sections here and asks for its on-demand snapshots here, so the process
// leaves one snapshot carrying both the shim's exit status and libprof's data.

#include <prof/version.hpp>

#include "core/process_meta.hpp"
#include "core/snapshot_writer.hpp"
#include "export.hpp"
#include "recorder.hpp"

namespace pc = prof::core;

// libprof only hands over to a shim of its own version: the sections are written with this shim's JsonWriter.
PROF_SHIM_EXPORT const char* prof_preload_version() noexcept {
  return PROF_VERSION_STRING;
}

PROF_SHIM_EXPORT int prof_preload_register_section(const char* key, pc::SectionWriter write,
                                                   void* context) noexcept {
  return pc::register_section(key, write, context) ? 1 : 0;
}

PROF_SHIM_EXPORT int prof_preload_write_snapshot(const char* label, int sequence) noexcept {
  return prof::preload::recorder::write_on_demand(label, sequence) ? 1 : 0;
}

// libprof_mpi confirms the rank at MPI_Init: the shim's meta (which names the snapshot file) takes it too.
// `source` must outlive the process (a string literal of the MPI layer, which is never unloaded).
PROF_SHIM_EXPORT void prof_preload_set_rank(long rank, long size, const char* source) noexcept {
  pc::meta::set_rank(rank, size, source);
}
