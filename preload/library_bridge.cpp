// The shim's side of "one process, one snapshot": libprof::prof, when it finds these entry points (dlsym at
// its load time), registers its sections here and asks for its on-demand snapshots here, so the process
// leaves one snapshot carrying both the shim's exit status and libprof's data.

#include <prof/version.hpp>

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
