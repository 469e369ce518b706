#pragma once
// pprof's profile.proto, gzipped, as `pprof` and Go's tooling read it: memory with the sample types of Go's
// heap profiles (alloc_objects, alloc_space, inuse_objects, inuse_space, plus peak_space: bytes live at the
// peak), scopes as calls and time. A merged run of several processes labels each sample with its "rank" (or
// "pid" for processes without one), so `pprof -tagfocus=rank=3` picks one.
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "export/export_data.hpp"
#include "export/pprof_stacks.hpp"
#include "merge/memory_view.hpp"
#include "merge/scope_merge.hpp"
#include "model/snapshot.hpp"

namespace prof::viewer {

// The encoded Profile message (not yet compressed). `view` chooses the sample type pprof shows first.
std::string pprof_memory_profile(const PprofStacks& stacks, MemoryView view, double duration_seconds);
// One sample per node of each thread's tree: its calls and its self time, on the path of scopes to it.
// `processes` give each thread's rank (by pid).
std::string pprof_scope_profile(const std::vector<ScopeThreadTree>& threads,
                                const std::vector<Snapshot>& processes, double duration_seconds);

// gzip (RFC 1952) of `data`, as pprof expects its files.
std::string gzip(std::string_view data);

void write_pprof(const ExportData& data, std::ostream& out);

}  // namespace prof::viewer
