#pragma once
// pprof's profile.proto, gzipped, as `pprof` and Go's tooling read it: memory with the sample types of Go's
// heap profiles (alloc_objects, alloc_space, inuse_objects, inuse_space, plus peak_space: bytes live at the
// peak), scopes as calls and time. A merged run of several processes labels each sample with its "rank" (or
// "pid" for processes without one), so `pprof -tagfocus=rank=3` picks one.
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "export/export_data.hpp"
#include "export/export_stream.hpp"
#include "export/gzip_stream.hpp"
#include "export/pprof_stacks.hpp"
#include "merge/memory_view.hpp"
#include "merge/samples_merge.hpp"
#include "merge/scope_merge.hpp"
#include "model/snapshot.hpp"

namespace prof::viewer {

// The encoded Profile message (not yet compressed). `view` chooses the sample type pprof shows first.
std::string pprof_memory_profile(const PprofStacks& stacks, MemoryView view, double duration_seconds);

// The same profile encoded and gzipped as the snapshots come, into `sink`: the samples of each snapshot are
// written and dropped, only the interned strings, locations and stacks stay (1024 ranks x 10 000 sites in
// ~60 MB instead of 1.6 GB). `labelled`: samples carry their rank (or pid), for a merged run.
class PprofMemoryStream {
 public:
  PprofMemoryStream(MemoryView view, bool keep_system_frames, bool labelled, GzipStream::Sink sink);
  ~PprofMemoryStream();
  void add(const Snapshot& snapshot);
  void finish(double duration_seconds);

 private:
  struct State;
  std::unique_ptr<State> state_;
  bool labelled_;
};
// One sample per node of each thread's tree: its calls and its self time, on the path of scopes to it.
// `processes` give each thread's rank (by pid).
std::string pprof_scope_profile(const std::vector<ScopeThreadTree>& threads,
                                const std::vector<Snapshot>& processes, double duration_seconds);

// The CPU samples' merged call tree: one sample per path that ended there (per path and process, labelled
// rank or pid, when several processes are merged), as samples/count and
// cpu/nanoseconds (samples times the mean period), like Go's CPU profiles.
std::string pprof_samples_profile(const SamplesMerge& samples, const std::vector<Snapshot>& processes,
                                  double duration_seconds);

// gzip (RFC 1952) of `data`, as pprof expects its files.
std::string gzip(std::string_view data);

// prof export --format pprof: memory with --mem or when no snapshot has scopes, else the scopes.
std::unique_ptr<ExportStream> open_pprof(const ExportOptions& options, std::size_t files, std::ostream& out);

}  // namespace prof::viewer
