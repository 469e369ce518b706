#pragma once
// Symbolised snapshots on disk: the raw snapshot file is replaced by its symbolised version, so the next
// reader (on any machine) gets names without the binaries.
#include <string>
#include <string_view>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

// The document `raw_json` with `symbolised` (a symbolised model of it) written over its strings, frames and
// stacks, and "symbolised": true. Every other member is re-serialised untouched.
std::string symbolised_document(std::string_view raw_json, const Snapshot& symbolised);

// Reads PATH, symbolises it and replaces it (temp file in the same directory, then rename). Returns false,
// having said why on stderr once, when it could not; true also when there was nothing to do.
bool symbolise_snapshot_file(const std::string& path);

// Saves an already symbolised model over PATH; false (silently) when the file cannot be replaced.
bool save_symbolised(const std::string& path, const Snapshot& symbolised);

}  // namespace prof::viewer

namespace prof::viewer {

// For readers (prof report, prof diff): symbolises in memory each snapshot that has raw frames, and saves the
// symbolised version over its file when it can, so the next read is fast.
void symbolise_loaded(std::vector<Snapshot>& snapshots);
void symbolise_loaded(Snapshot& snapshot);

}  // namespace prof::viewer
