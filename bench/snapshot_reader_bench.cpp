// Time to parse a big snapshot with each JSON library (docs/PERFORMANCE.md, "Snapshot reader").
// Usage: snapshot_reader_bench [benchmark flags]; the snapshot is $PROF_BENCH_SNAPSHOT
// (default /tmp/prof-bench/big.prof.json, written by bench/gen_snapshot.py).
#include <cstdlib>

#include <benchmark/benchmark.h>

#include "json_contenders.hpp"

namespace {

std::string snapshot_path() {
  const char* path = std::getenv("PROF_BENCH_SNAPSHOT");
  return path ? path : "/tmp/prof-bench/big.prof.json";
}

}  // namespace

int main(int argc, char** argv) {
  static const std::string json = prof::bench::read_whole_file(snapshot_path());
  for (const auto& contender : prof::bench::json_contenders()) {
    benchmark::RegisterBenchmark(contender.name, [contender](benchmark::State& state) {
      for (auto _ : state)
        benchmark::DoNotOptimize(contender.parse_and_walk(json));
      state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
    })->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
