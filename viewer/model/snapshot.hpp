#pragma once
// The in-memory model of one snapshot (docs/SNAPSHOT.md, format version 1). Every index stored here was
// checked against its table by the reader, so code that walks the model never needs to re-check bounds.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace prof::viewer {

inline constexpr std::int64_t kSnapshotFormatVersion = 1;

struct ExitStatus {
  // unknown: written by libprof::prof at exit without the shim, which cannot see the exit code.
  enum class Kind { exited, signaled, running, unknown };
  Kind kind = Kind::exited;
  std::int64_t code = 0;    // when exited
  std::int64_t signal = 0;  // when signaled
  std::string signal_name;  // when signaled
};

struct Clock {
  std::string source;  // "tsc" or "clock_gettime"
  double tsc_hz = 0;   // when source is "tsc"
  std::string clock;   // when source is "clock_gettime"
};

struct Meta {
  std::string program;
  std::string exe;
  std::vector<std::string> argv;
  std::int64_t pid = 0;
  std::int64_t ppid = 0;
  std::string host;
  std::string start_time;
  double wall_seconds = 0;
  double user_seconds = 0;
  double system_seconds = 0;
  std::int64_t max_rss_bytes = 0;
  ExitStatus exit;
  std::string libprof_version;
  std::string writer;
  Clock clock;
  std::optional<std::int64_t> rank;
  std::optional<std::int64_t> size;
  std::optional<std::string> rank_source;
  std::int64_t threads_seen = 0;
  std::int64_t runtime_threads = 0;  // of threads_seen: an MPI runtime's own helpers
  std::int64_t cores_online = 0;
  std::optional<std::int64_t> cpus_allowed;
  std::optional<std::string> cpu_list;  // the affinity mask, "0-3,8"
  std::map<std::string, std::string> env;
  std::optional<std::string> label;
  std::optional<std::int64_t> sequence;
};

struct Module {
  std::string path;
  std::string build_id;
  std::int64_t base = 0;
  std::int64_t size = 0;
  bool unloaded = false;
};

// String-table indices are std::uint32_t; -1 means "none" for module.
struct Frame {
  std::uint32_t function = 0;
  std::uint32_t file = 0;
  std::int64_t line = 0;
  std::int64_t module = -1;
  std::int64_t offset = 0;
  bool inlined = false;
};

// All stacks in one flat array: stack i is frames[offsets[i] .. offsets[i + 1]), innermost frame first.
// One allocation for 100 000 stacks instead of 100 000.
class StackTable {
 public:
  StackTable() : offsets_{0} {}
  void add_frame(std::uint32_t frame) { frames_.push_back(frame); }
  void end_stack() { offsets_.push_back(static_cast<std::uint32_t>(frames_.size())); }
  std::size_t size() const { return offsets_.size() - 1; }
  std::size_t frame_count() const { return frames_.size(); }  // of all stacks together
  std::span<const std::uint32_t> operator[](std::size_t i) const {
    return {frames_.data() + offsets_[i], frames_.data() + offsets_[i + 1]};
  }
  void reserve(std::size_t stacks, std::size_t frames) {
    offsets_.reserve(stacks + 1);
    frames_.reserve(frames);
  }

 private:
  std::vector<std::uint32_t> frames_;
  std::vector<std::uint32_t> offsets_;
};

struct ScopeSite {
  std::uint32_t name = 0;
  std::uint32_t file = 0;
  std::int64_t line = 0;
};

struct ScopeNode {
  std::int64_t parent = -1;  // index of an earlier node of the same thread, or -1 for a root
  std::uint32_t site = 0;
  std::int64_t calls = 0;
  std::int64_t primitive_calls = 0;
  std::int64_t total_ns = 0;  // after overhead compensation
  std::int64_t self_ns = 0;
  std::int64_t raw_total_ns = 0;  // as measured; snapshots without these columns repeat total_ns/self_ns
  std::int64_t raw_self_ns = 0;
  std::int64_t open_calls = 0;  // of `calls`, those still open when the snapshot was written (time so far)
};

struct ScopeThread {
  std::int64_t id = 0;
  std::optional<std::int64_t> tid;
  std::string name;
  bool ended = false;
  std::vector<ScopeNode> nodes;
};

// The cost of an empty scope, calibrated in the process (docs/SNAPSHOT.md, "scopes").
struct ScopeOverhead {
  double inner_ns = 0;
  double outer_ns = 0;
  bool calibrated = false;
  // The -finstrument-functions hooks' own figures, when the process recorded functions (0 and false if not).
  double function_inner_ns = 0;
  double function_outer_ns = 0;
  bool functions_calibrated = false;
};

// A scope site that is an instrumented function (docs/SNAPSHOT.md, "functions"): where its code is, so that
// symbolise/ can name it. `module` indexes Scopes::function_modules, -1 when none (then `offset` is the
// address).
struct ScopeFunction {
  std::uint32_t site = 0;
  std::int64_t module = -1;
  std::int64_t offset = 0;
};

struct Scopes {
  std::optional<ScopeOverhead> overhead;
  std::optional<std::int64_t> max_depth;
  std::vector<ScopeSite> sites;
  std::vector<ScopeThread> threads;
  // Functions not named yet: symbolise/function_sites names their sites and empties both.
  std::vector<Module> function_modules;
  std::vector<ScopeFunction> functions;
};

struct MemorySummary {
  std::int64_t allocations = 0;
  std::int64_t allocated_bytes = 0;
  std::int64_t peak_bytes = 0;
  std::optional<double> peak_wall_seconds;
  std::int64_t leaked_allocations = 0;
  std::int64_t leaked_bytes = 0;
  std::optional<std::int64_t> temporary_allocations;
  std::optional<std::int64_t> tracer_bytes;  // the tracer's own memory (its tables), not the program's
  // Live at exit but no leak: the runtime's pools (libstdc++'s emergency exception pool), set apart by the
  // shim.
  std::optional<std::int64_t> runtime_pool_allocations, runtime_pool_bytes;
  // Sampled mode (PROF_MEMORY_SAMPLE): the mean bytes between samples, and how many blocks were sampled;
  // every figure of the section is then an unbiased estimate. Unset: exact mode (every allocation counted).
  std::optional<std::int64_t> sample_interval_bytes;
  std::optional<std::int64_t> samples;
};

struct MemorySite {
  std::uint32_t stack = 0;
  std::int64_t allocations = 0;
  std::int64_t allocated_bytes = 0;
  std::int64_t peak_bytes = 0;
  std::int64_t leaked_allocations = 0;
  std::int64_t leaked_bytes = 0;
  std::int64_t temporary_allocations = 0;
};

// The live heap of the process over time: at most ~1000 points, coarsened by the tracer as the run grows.
struct MemoryPoint {
  double wall_seconds = 0;
  std::int64_t live_bytes = 0;
};

struct Memory {
  std::optional<MemorySummary> summary;
  std::vector<MemorySite> sites;
  std::vector<MemoryPoint> timeline;
};

struct Timing {
  std::string name;
  std::string source;  // "timeit", "command", "google-benchmark" or "" when the writer did not say
  std::int64_t runs = 0;
  std::int64_t loops = 0;
  std::vector<double> samples;  // seconds per call
  // As written; timers_statistics.hpp fills in the ones a writer left out.
  std::optional<double> min, median, mean, stddev, mad;
  std::optional<double> ci_low, ci_high;  // 95 % interval of the median
  std::optional<double> loop_overhead;
  bool noisy = false;
  std::string noisy_reason;
  std::vector<double> user_seconds, system_seconds;  // per run, source "command" only
};

struct Comparison {
  std::string a, b;
  double ratio = 0, low = 0, high = 0;
  std::optional<bool> significant;
  std::optional<double> confidence, threshold;
  std::optional<std::int64_t> rounds;
  std::string verdict;
};

struct Timers {
  std::vector<Timing> timings;
  std::vector<Comparison> comparisons;
};

// The MPI interposer's totals per operation (docs/SNAPSHOT.md, "mpi").
struct MpiOperation {
  std::string name;  // "MPI_Bcast"
  std::int64_t calls = 0;
  std::int64_t bytes_sent = 0;
  std::int64_t bytes_received = 0;
  std::int64_t total_ns = 0;
};

struct Mpi {
  std::string library;
  std::optional<std::int64_t> rank;
  std::optional<std::int64_t> size;
  std::vector<MpiOperation> operations;
  std::int64_t total_ns() const;  // summed over the operations, saturating
};

// The sampling profiler's counts per stack (docs/SNAPSHOT.md, "samples"): `samples` of the thread's clock
// at `hz` per second each landed on stack `stack` (innermost frame: where the thread was running) in thread
// `thread` (its id; 0 in snapshots before threads were written), `waiting` on the wall clock when the thread
// was not running.
struct SampleStack {
  std::uint32_t stack = 0;
  std::int64_t samples = 0;
  std::int64_t thread = 0;
  bool waiting = false;
};

struct SampledThread {
  std::int64_t tid = 0;
  std::string name;
};

struct Samples {
  std::string clock;  // "cpu": each thread's own CPU time; "wall": real time, running or waiting
  double hz = 0;
  double period_seconds = 0;
  std::int64_t samples = 0;
  std::int64_t dropped = 0;
  std::vector<SampleStack> stacks;
  std::vector<SampledThread> threads;  // names by thread id, when written
};

struct Snapshot {
  std::string path;
  std::int64_t version = 0;
  Meta meta;
  std::vector<std::string> strings;
  std::vector<Module> modules;
  std::vector<Frame> frames;
  StackTable stacks;
  std::optional<Scopes> scopes;
  std::optional<Memory> memory;
  std::optional<Timers> timers;
  std::optional<Mpi> mpi;
  std::optional<Samples> samples;
  bool symbolised = false;  // frames were symbolised outside the process (docs/SNAPSHOT.md)

  // The string at a checked index; "" for index 0, which the format reserves for "unknown".
  const std::string& string(std::uint32_t index) const {
    static const std::string empty;
    return index < strings.size() ? strings[index] : empty;
  }
};

}  // namespace prof::viewer
