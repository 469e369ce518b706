#pragma once
// Google Benchmark's JSON output (--benchmark_out=FILE --benchmark_out_format=json) read as a snapshot that
// holds only timers, so `prof report` and `prof diff` treat its benchmarks like prof::timeit's timings.
#include <string>

#include "model/snapshot.hpp"
#include "read/json_access.hpp"

namespace prof::viewer {

// Google Benchmark writes an object with "context" and "benchmarks"; a snapshot has neither.
bool is_google_benchmark(const json::object& root);

// One timing per benchmark run: its repetitions are the samples (real time per iteration, in seconds) and
// its iteration count the loops. Aggregates (mean, median, ...) are used only when the file holds no
// repetitions (--benchmark_report_aggregates_only). Throws json::FormatError on a malformed file.
Snapshot read_google_benchmark(const json::object& root, const std::string& path);

}  // namespace prof::viewer
