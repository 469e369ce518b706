#include "export/pprof.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>

#include "error.hpp"
#include "export/gzip_stream.hpp"
#include "export/protobuf_writer.hpp"

namespace prof::viewer {

namespace {

// profile.proto's field numbers (github.com/google/pprof/proto/profile.proto).
namespace profile {
constexpr std::uint32_t sample_type = 1, sample = 2, mapping = 3, location = 4, function = 5,
                        string_table = 6, duration_nanos = 10, period_type = 11, period = 12, comment = 13,
                        default_sample_type = 14;
}
namespace value_type {
constexpr std::uint32_t type = 1, unit = 2;
}
namespace sample {
constexpr std::uint32_t location_id = 1, value = 2, label = 3;
}
namespace label {
constexpr std::uint32_t key = 1, num = 3, num_unit = 4;
}
namespace mapping {
constexpr std::uint32_t id = 1, memory_start = 2, memory_limit = 3, filename = 5, build_id = 6,
                        has_functions = 7, has_filenames = 8, has_line_numbers = 9, has_inline_frames = 10;
}
namespace location {
constexpr std::uint32_t id = 1, mapping_id = 2, address = 3, line = 4;
}
namespace line {
constexpr std::uint32_t function_id = 1, line = 2;
}
namespace function {
constexpr std::uint32_t id = 1, name = 2, system_name = 3, filename = 4;
}

// Writes Sample messages into `out`, given the location_id field already encoded (a stack shared by a
// thousand ranks is encoded once) and the string ids of the label keys. Interns nothing, so it can run on the
// compressing thread while the encoder goes on with the next snapshot.
class SampleWriter {
 public:
  // `process`: the label (rank, or pid without one) when several processes are merged.
  void add(ProtobufWriter& out, std::string_view location_field, std::span<const std::int64_t> values,
           const std::optional<PprofProcess>& process, std::int64_t rank_key, std::int64_t pid_key) {
    // The writer is kept between samples (its buffer reused), and a process's label encoded once.
    message_.clear();
    message_.raw(location_field);
    message_.packed(sample::value, values);
    if (process) {
      if (!label_of_ || !(*label_of_ == *process)) {
        ProtobufWriter tag;
        // Numeric labels, so that -tagfocus=rank=3 (or a range, rank=0:7) picks ranks.
        const auto key = process->rank ? rank_key : pid_key;
        tag.int64(label::key, key);
        tag.int64(label::num, process->rank ? *process->rank : process->pid);
        // pprof drops a numeric label whose number and unit are both zero (rank 0): a unit keeps it.
        tag.int64(label::num_unit, key);
        label_ = tag.data();
        label_of_ = process;
      }
      message_.bytes(sample::label, label_);
    }
    out.message(profile::sample, message_);
  }

 private:
  ProtobufWriter message_;
  std::optional<PprofProcess> label_of_;
  std::string label_;
};

// Builds one Profile: strings and functions are interned as they are met; the string table is written
// last, which protobuf allows (fields may come in any order).
class ProfileEncoder {
 public:
  ProfileEncoder() { string(""); }  // index 0 is "" by pprof's rule

  std::int64_t string(const std::string& text) {
    auto [it, fresh] = string_of_.try_emplace(text, static_cast<std::int64_t>(strings_.size()));
    if (fresh) strings_.push_back(text);
    return it->second;
  }

  void sample_type(const std::string& type, const std::string& unit) {
    ProtobufWriter value;
    value.int64(value_type::type, string(type));
    value.int64(value_type::unit, string(unit));
    out_.message(profile::sample_type, value);
  }
  void period(const std::string& type, const std::string& unit, std::int64_t period) {
    ProtobufWriter value;
    value.int64(value_type::type, string(type));
    value.int64(value_type::unit, string(unit));
    out_.message(profile::period_type, value);
    out_.int64(profile::period, period);
  }
  void default_sample_type(const std::string& type) {
    out_.int64(profile::default_sample_type, string(type));
  }
  void duration(double seconds) {
    out_.int64_unless_zero(profile::duration_nanos, static_cast<std::int64_t>(seconds * 1e9));
  }
  void comment(const std::string& text) { out_.int64(profile::comment, string(text)); }

  void add_mapping(std::uint64_t id, const PprofMapping& mapped, bool symbolised) {
    ProtobufWriter message;
    message.varint(mapping::id, id);
    message.varint(mapping::memory_start, mapped.start);
    message.varint(mapping::memory_limit, mapped.limit);
    message.int64(mapping::filename, string(mapped.path));
    message.int64_unless_zero(mapping::build_id, string(mapped.build_id));
    // Symbolised here, so pprof never looks for the binaries (which may live on another machine).
    message.varint(mapping::has_functions, symbolised);
    message.varint(mapping::has_filenames, symbolised);
    message.varint(mapping::has_line_numbers, symbolised);
    message.varint(mapping::has_inline_frames, symbolised);
    out_.message(profile::mapping, message);
  }

  void add_location(std::uint64_t id, std::optional<std::uint64_t> mapping_id, std::uint64_t address,
                    const std::vector<PprofLine>& lines) {
    ProtobufWriter message;
    message.varint(location::id, id);
    if (mapping_id) message.varint(location::mapping_id, *mapping_id);
    if (address != 0) message.varint(location::address, address);
    for (const auto& at : lines) {  // innermost first, the caller they were inlined into last: as pprof says
      ProtobufWriter entry;
      entry.varint(line::function_id, function_id(at.function, at.file));
      entry.int64_unless_zero(line::line, at.line);
      message.message(location::line, entry);
    }
    out_.message(profile::location, message);
  }

  // `label`: the process's rank or pid when several processes are merged.
  void add_sample(const std::vector<std::uint64_t>& location_ids, const std::vector<std::int64_t>& values,
                  const std::optional<PprofProcess>& process) {
    ProtobufWriter ids;
    ids.packed(sample::location_id, location_ids);
    add_sample(ids.data(), values, process);
  }

  // `location_field`: the sample's location_id field already encoded (a stack shared by a thousand ranks
  // is encoded once).
  void add_sample(std::string_view location_field, const std::vector<std::int64_t>& values,
                  const std::optional<PprofProcess>& process) {
    const auto rank_key = process && process->rank ? string("rank") : 0;
    const auto pid_key = process && !process->rank ? string("pid") : 0;
    samples_.add(out_, location_field, values, process, rank_key, pid_key);
  }

  // The fields encoded so far, handed to `gzip` and dropped: a merged run's samples pass through in pieces.
  void flush(GzipStream& gzip) {
    gzip.write(out_.data());
    out_.clear();
  }

  std::string finish() {
    for (const auto& [key, id] : function_of_) {
      ProtobufWriter message;
      message.varint(function::id, id);
      message.int64(function::name, string(key.first));
      message.int64(function::system_name, string(key.first));
      message.int64_unless_zero(function::filename, string(key.second));
      out_.message(profile::function, message);
    }
    for (const auto& text : strings_)
      out_.bytes(profile::string_table, text);
    return out_.data();
  }

 private:
  std::uint64_t function_id(const std::string& name, const std::string& file) {
    auto [it, fresh] = function_of_.try_emplace({name, file}, function_of_.size() + 1);
    return it->second;
  }

  ProtobufWriter out_;
  SampleWriter samples_;
  std::vector<std::string> strings_;
  std::map<std::string, std::int64_t> string_of_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> function_of_;
};

const char* memory_default_type(MemoryView view) {
  switch (view) {
    case MemoryView::peak:
      return "peak_space";
    case MemoryView::leaks:
      return "inuse_space";
    case MemoryView::allocations:
    case MemoryView::temporary:
      return "alloc_objects";
    case MemoryView::total:
      return "alloc_space";
  }
  return "inuse_space";
}

std::optional<PprofProcess> process_of(const std::vector<Snapshot>& processes, std::int64_t pid) {
  for (const auto& process : processes)
    if (process.meta.pid == pid) return PprofProcess{process.meta.rank, pid};
  return PprofProcess{std::nullopt, pid};
}

}  // namespace

namespace {

// The header of a memory profile: Go's heap profile types first, in Go's order, so tools that know them find
// them where they look.
void memory_header(ProfileEncoder& encoder, MemoryView view) {
  encoder.sample_type("alloc_objects", "count");
  encoder.sample_type("alloc_space", "bytes");
  encoder.sample_type("inuse_objects", "count");
  encoder.sample_type("inuse_space", "bytes");
  encoder.sample_type("peak_space", "bytes");
  encoder.period("space", "bytes", 1);
  encoder.default_sample_type(memory_default_type(view));
  encoder.comment(
      "libprof: inuse_* is what was live when the snapshot was written (leaked at exit), "
      "peak_space what was live at the process's peak");
}

// Each stack's location_id field, encoded on first use and kept (indexed as stacks.stacks()). A deque: the
// compressing thread reads fields made earlier while this thread adds more, and a deque that grows at its
// end leaves its elements where they are.
const std::string& location_field(const PprofStacks& stacks, std::uint32_t stack,
                                  std::deque<std::string>& encoded) {
  if (encoded.size() < stacks.stacks().size()) encoded.resize(stacks.stacks().size());
  auto& field = encoded[stack];
  if (field.empty()) {
    const auto& locations = stacks.stacks()[stack];
    std::vector<std::uint64_t> ids(locations.begin(), locations.end());
    for (auto& id : ids)
      ++id;  // pprof's ids start at 1
    ProtobufWriter writer;
    writer.packed(sample::location_id, ids);
    field = writer.data();
  }
  return field;
}

std::array<std::int64_t, 5> memory_values(const MemoryCounts& counts) {
  return {counts.allocations, counts.allocated_bytes, counts.leaked_allocations, counts.leaked_bytes,
          counts.peak_bytes};
}

void memory_samples(ProfileEncoder& encoder, const PprofStacks& stacks,
                    const std::vector<PprofSample>& samples, bool labelled,
                    std::deque<std::string>& encoded) {
  std::vector<std::int64_t> values;
  for (const auto& sample : samples) {
    const auto& field = location_field(stacks, sample.stack, encoded);
    const auto counts = memory_values(sample.counts);
    values.assign(counts.begin(), counts.end());
    encoder.add_sample(field, values,
                       labelled ? std::optional(stacks.processes()[sample.process]) : std::nullopt);
  }
}

// Mappings and locations, after the samples that name them (protobuf's fields may come in any order).
void memory_tables(ProfileEncoder& encoder, const PprofStacks& stacks) {
  bool symbolised = std::any_of(stacks.locations().begin(), stacks.locations().end(),
                                [](const PprofLocation& at) { return !at.lines.empty(); });
  for (std::size_t i = 0; i < stacks.mappings().size(); ++i)
    encoder.add_mapping(i + 1, stacks.mappings()[i], symbolised);
  std::vector<PprofLine> lines;
  for (std::size_t i = 0; i < stacks.locations().size(); ++i) {
    const auto& at = stacks.locations()[i];
    std::optional<std::uint64_t> mapping_id;
    if (at.mapping >= 0) mapping_id = static_cast<std::uint64_t>(at.mapping) + 1;
    lines.clear();
    for (auto line : at.lines)
      lines.push_back(stacks.lines()[line]);
    encoder.add_location(i + 1, mapping_id, at.address, lines);
  }
}

}  // namespace

std::string pprof_memory_profile(const PprofStacks& stacks, MemoryView view, double duration_seconds) {
  ProfileEncoder encoder;
  memory_header(encoder, view);
  encoder.duration(duration_seconds);
  std::deque<std::string> encoded;
  memory_samples(encoder, stacks, stacks.samples(), stacks.processes().size() > 1, encoded);
  memory_tables(encoder, stacks);
  return encoder.finish();
}

struct PprofMemoryStream::State {
  ProfileEncoder encoder;
  PprofStacks stacks;
  std::vector<PprofSample> samples;
  std::deque<std::string> encoded;  // each stack's location_id field
  SampleWriter writer;              // used on the compressing thread only
  GzipStream gzip;                  // last: stopped first, while what its pieces read is still there
  State(bool keep_system_frames, GzipStream::Sink sink) : stacks(keep_system_frames), gzip(std::move(sink)) {}
};

PprofMemoryStream::PprofMemoryStream(MemoryView view, bool keep_system_frames, bool labelled,
                                     GzipStream::Sink sink)
    : state_(std::make_unique<State>(keep_system_frames, std::move(sink))), labelled_(labelled) {
  memory_header(state_->encoder, view);
}

PprofMemoryStream::~PprofMemoryStream() = default;

// The snapshot's stacks are interned here; its samples are encoded on the compressing thread (a third of
// this thread's work was encoding them, while that thread waited: docs/PERFORMANCE.md), from what this
// thread hands over: the counts, the stacks' location fields, the label.
void PprofMemoryStream::add(const Snapshot& snapshot) {
  if (!snapshot.memory) return;
  auto& state = *state_;
  state.samples.clear();
  state.stacks.add(snapshot, state.samples);
  state.encoder.flush(state.gzip);
  if (state.samples.empty()) return;
  std::vector<const std::string*> fields;
  fields.reserve(state.samples.size());
  for (const auto& sample : state.samples)
    fields.push_back(&location_field(state.stacks, sample.stack, state.encoded));
  std::optional<PprofProcess> process;  // one per snapshot
  std::int64_t rank_key = 0, pid_key = 0;
  if (labelled_) {
    process = state.stacks.processes()[state.samples.front().process];
    (process->rank ? rank_key : pid_key) = state.encoder.string(process->rank ? "rank" : "pid");
  }
  state.gzip.write_made([&writer = state.writer, samples = std::move(state.samples),
                         fields = std::move(fields), process, rank_key, pid_key] {
    ProtobufWriter out;
    for (std::size_t i = 0; i < samples.size(); ++i)
      writer.add(out, *fields[i], memory_values(samples[i].counts), process, rank_key, pid_key);
    return out.data();
  });
  state.samples = {};
}

void PprofMemoryStream::finish(double duration_seconds) {
  auto& state = *state_;
  state.encoder.duration(duration_seconds);
  memory_tables(state.encoder, state.stacks);
  state.gzip.write(state.encoder.finish());
  state.gzip.finish();
}

std::string pprof_scope_profile(const std::vector<ScopeThreadTree>& threads,
                                const std::vector<Snapshot>& processes, double duration_seconds) {
  ProfileEncoder encoder;
  encoder.sample_type("calls", "count");
  encoder.sample_type("time", "nanoseconds");
  encoder.period("time", "nanoseconds", 1);
  encoder.default_sample_type("time");
  encoder.duration(duration_seconds);
  // Scopes have no addresses: one mapping stands for the program (pprof names its main binary from it),
  // and one location per scope site (name, file, line) is shared by every thread.
  std::optional<std::uint64_t> program;
  if (!processes.empty()) {
    const auto& meta = processes.front().meta;
    encoder.add_mapping(1, {meta.exe.empty() ? meta.program : meta.exe, "", 0, 0}, true);
    program = 1;
  }
  std::map<ScopeSiteKey, std::uint64_t> location_of_site;
  std::set<std::int64_t> pids;
  for (const auto& thread : threads)
    pids.insert(thread.pid);
  bool labelled = pids.size() > 1;
  std::vector<std::uint64_t> ids;
  for (const auto& thread : threads) {
    const auto& tree = thread.tree;
    std::vector<std::uint64_t> site_location(tree.sites.size());
    for (std::size_t s = 0; s < tree.sites.size(); ++s) {
      const auto& site = tree.sites[s];
      auto [it, fresh] = location_of_site.try_emplace(site, location_of_site.size() + 1);
      if (fresh) encoder.add_location(it->second, program, 0, {{site.name, site.file, site.line}});
      site_location[s] = it->second;
    }
    auto process = labelled ? process_of(processes, thread.pid) : std::nullopt;
    for (const auto& node : tree.nodes) {
      ids.clear();
      // The path from this node up to its root: pprof's stacks are leaf first. Parents come before
      // children, so the walk ends.
      for (const ScopeTreeNode* at = &node;;) {
        ids.push_back(site_location[at->site]);
        if (at->parent < 0) break;
        at = &tree.nodes[static_cast<std::size_t>(at->parent)];
      }
      encoder.add_sample(ids, {node.calls, node.self_ns}, process);
    }
  }
  return encoder.finish();
}

std::string pprof_samples_profile(const SamplesMerge& samples, const std::vector<Snapshot>& processes,
                                  double duration_seconds) {
  ProfileEncoder encoder;
  encoder.sample_type("samples", "count");
  encoder.sample_type("cpu", "nanoseconds");
  // The mean period over the processes merged (each may have sampled at its own rate).
  auto period_ns =
      samples.samples() > 0
          ? static_cast<std::int64_t>(samples.seconds() * 1e9 / static_cast<double>(samples.samples()))
          : std::int64_t{0};
  encoder.period("cpu", "nanoseconds", period_ns);
  encoder.default_sample_type("cpu");
  encoder.duration(duration_seconds);
  // Several processes stay apart as memory's samples do: a sample per call path and process, labelled with
  // the rank (or pid), so pprof -tagfocus=rank=N shows one rank and -tags the split; summed as prof report.
  const bool labelled = samples.members().size() > 1;
  encoder.comment(labelled ? "libprof: the sampling profiler's samples merged by call path over threads, one "
                             "sample per process (label rank, or pid without one)"
                           : "libprof: the sampling profiler's samples merged by call path over threads");
  std::optional<std::uint64_t> program;
  if (!processes.empty()) {
    const auto& meta = processes.front().meta;
    encoder.add_mapping(1, {meta.exe.empty() ? meta.program : meta.exe, "", 0, 0}, true);
    program = 1;
  }
  // A location per function (the tree is merged by function), written when first named.
  std::vector<std::uint64_t> location_of(samples.functions().size(), 0);
  std::uint64_t locations = 0;
  const auto& tree = samples.tree();
  std::vector<std::uint64_t> ids;
  auto path_of = [&](std::size_t node) -> const std::vector<std::uint64_t>& {
    ids.clear();
    for (std::size_t at = node; at != 0; at = tree[at].parent) {  // leaf first, as pprof's stacks run
      auto& id = location_of[tree[at].function];
      if (id == 0) {
        const auto& function = samples.functions()[tree[at].function];
        id = ++locations;
        encoder.add_location(id, program, 0, {{function.name, function.file, 0}});
      }
      ids.push_back(id);
    }
    return ids;
  };
  if (labelled) {
    for (const auto& entry : samples.self_by_process()) {
      if (entry.self <= 0) continue;
      const auto& member = samples.members()[entry.process];
      encoder.add_sample(path_of(entry.node), {entry.self, entry.self * period_ns},
                         PprofProcess{member.rank, member.pid});
    }
    return encoder.finish();
  }
  for (std::size_t i = 1; i < tree.size(); ++i)
    if (tree[i].self > 0)
      encoder.add_sample(path_of(i), {tree[i].self, tree[i].self * period_ns}, std::nullopt);
  return encoder.finish();
}

std::string gzip(std::string_view data) {
  std::string out;
  GzipStream stream([&](std::string_view bytes) { out.append(bytes); });
  stream.write(data);
  stream.finish();
  return out;
}

namespace {

// A FILE* that removes itself: where a memory profile waits while it is not known whether the run has scopes.
struct ScratchFile {
  std::FILE* file = std::tmpfile();
  ~ScratchFile() {
    if (file) std::fclose(file);
  }
};

// pprof holds one profile a file: memory with --mem or when no snapshot has scopes, else the scopes. Memory
// is encoded as the snapshots come; without --mem into a scratch file, dropped at the first snapshot with
// scopes (so a run with scopes pays nothing for its memory sites).
class PprofExport : public ExportStream {
 public:
  PprofExport(const ExportOptions& options, std::size_t files, std::ostream& out)
      : options_(options), out_(out) {
    auto to_out = [this](std::string_view bytes) {
      out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    };
    if (options.samples) return;  // the samples' tree is small: written at the end
    if (!options.memory) {
      scratch_ = std::make_unique<ScratchFile>();
      if (!scratch_->file) throw UserError("pprof", "could not make a temporary file (TMPDIR)");
    }
    auto to_scratch = [file = scratch_ ? scratch_->file : nullptr](std::string_view bytes) {
      if (std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size())
        throw UserError("pprof", "could not write a temporary file (TMPDIR full?)");
    };
    memory_ = std::make_unique<PprofMemoryStream>(
        options.view, options.keep_system_frames, files > 1,
        options.memory ? GzipStream::Sink(to_out) : GzipStream::Sink(to_scratch));
  }

  void add(const ExportData& data, const Snapshot& snapshot) override {
    if (!options_.memory && data.has_scopes()) {
      memory_.reset();
      scratch_.reset();
    }
    if (memory_) memory_->add(snapshot);
  }

  void finish(const ExportData& data) override {
    double duration = 0;  // the longest process
    for (const auto& process : data.merge().processes())
      duration = std::max(duration, process.meta.wall_seconds);
    if (options_.samples) {
      if (!data.has_samples()) throw UserError("--samples", "these snapshots hold no CPU samples");
      auto profile = gzip(pprof_samples_profile(data.merge().samples(), data.merge().processes(), duration));
      out_.write(profile.data(), static_cast<std::streamsize>(profile.size()));
      return;
    }
    if (!options_.memory && data.has_scopes()) {
      auto profile =
          gzip(pprof_scope_profile(data.merge().scopes().thread_trees(), data.merge().processes(), duration));
      out_.write(profile.data(), static_cast<std::streamsize>(profile.size()));
      return;
    }
    if (!data.has_memory())
      throw UserError("pprof", options_.memory ? "these runs hold no memory sites"
                                               : "these runs hold neither scopes nor memory sites");
    memory_->finish(duration);
    if (!scratch_) return;
    std::rewind(scratch_->file);
    std::array<char, 1 << 16> buffer;
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), scratch_->file)) > 0;)
      out_.write(buffer.data(), static_cast<std::streamsize>(n));
  }

 private:
  ExportOptions options_;
  std::ostream& out_;
  std::unique_ptr<ScratchFile> scratch_;
  std::unique_ptr<PprofMemoryStream> memory_;
};

}  // namespace

std::unique_ptr<ExportStream> open_pprof(const ExportOptions& options, std::size_t files, std::ostream& out) {
  return std::make_unique<PprofExport>(options, files, out);
}

}  // namespace prof::viewer
