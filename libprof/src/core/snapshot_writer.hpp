#pragma once
// Writes a whole snapshot (docs/SNAPSHOT.md) into the output directory: format, version, meta, then every
// section an instrument registered. Allocation-free; safe to call at exit and from a fatal-signal handler.

#include <cstddef>

#include "core/process_meta.hpp"

namespace prof::core {

class JsonWriter;

using SectionWriter = void (*)(JsonWriter& out, void* context);

// Adds a top-level section: `write` must write exactly one JSON value (the key is written for it). `key` must
// outlive the process. Returns false when the table is full (16 sections).
bool register_section(const char* key, SectionWriter write, void* context) noexcept;

// Sends every section registered so far, and every later one, to `forward` instead of this registry: libprof
// uses it under the preload shim, whose copy of the core writes the process's only snapshot.
using SectionForwarder = bool (*)(const char* key, SectionWriter write, void* context);
void forward_sections_to(SectionForwarder forward) noexcept;

// Where the warning line goes instead of fd 2: the shim writes it only while fd 2 is still the process's
// stderr (preload/warning.hpp).
using WarningWriter = void (*)(const char* line, std::size_t length);
void set_warning_writer(WarningWriter writer) noexcept;

// Sections registered here (not forwarded).
int registered_section_count() noexcept;

// Writes one snapshot. On failure prints one warning line on stderr (the first failure of the process only)
// and returns false; errno is preserved either way.
bool write_snapshot(const MetaRequest& request) noexcept;

// The file name of the last snapshot this process wrote ("" if none); for tests and messages.
const char* last_snapshot_name() noexcept;

}  // namespace prof::core
