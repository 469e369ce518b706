// The scope profiler's hot path against the floor it cannot beat: two reads of the TSC. Results and the
// command are in docs/PERFORMANCE.md ("Scope profiler").
#include <benchmark/benchmark.h>

#include <prof/prof.hpp>

#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

void instrumented_empty_function();  // instrumented_callee.cpp: compiled with -finstrument-functions

namespace {

#if defined(__x86_64__) || defined(__i386__)
void two_tsc_reads(benchmark::State& state) {
  for (auto _ : state) {
    std::uint64_t start = __rdtsc();
    std::uint64_t end = __rdtsc();
    benchmark::DoNotOptimize(end - start);
  }
}
BENCHMARK(two_tsc_reads);
#endif

void two_clock_gettime_calls(benchmark::State& state) {
  for (auto _ : state) {
    timespec start{}, end{};
    clock_gettime(CLOCK_MONOTONIC, &start);
    clock_gettime(CLOCK_MONOTONIC, &end);
    benchmark::DoNotOptimize(end.tv_nsec - start.tv_nsec);
  }
}
BENCHMARK(two_clock_gettime_calls);

// The common case: a scope entered again and again under the same parent (cached child, no allocation).
void empty_scope_in_parent(benchmark::State& state) {
  prof::enable(true);
  PROF_SCOPE("bench parent");
  for (auto _ : state) {
    PROF_SCOPE("bench empty child");
    benchmark::ClobberMemory();
  }
}
BENCHMARK(empty_scope_in_parent);

void empty_scope_disabled(benchmark::State& state) {
  PROF_SCOPE("bench parent (disabled run)");
  prof::enable(false);
  for (auto _ : state) {
    PROF_SCOPE("bench disabled child");
    benchmark::ClobberMemory();
  }
  prof::enable(true);
}
BENCHMARK(empty_scope_disabled);

__attribute__((noinline)) void instrumented_function() {
  PROF_FUNCTION();
  benchmark::ClobberMemory();
}

__attribute__((noinline)) void plain_function() {
  benchmark::ClobberMemory();
}

void prof_function_call(benchmark::State& state) {
  prof::enable(true);
  PROF_SCOPE("bench caller");
  for (auto _ : state)
    instrumented_function();
}
BENCHMARK(prof_function_call);

// Every function a scope (prof_instrument): the same empty function compiled with -finstrument-functions
// (instrumented_callee.cpp), its entry and exit recorded by libprof's hooks instead of a PROF_FUNCTION.
void instrumented_function_call(benchmark::State& state) {
  prof::enable(true);
  PROF_SCOPE("bench caller");
  for (auto _ : state)
    instrumented_empty_function();
}
BENCHMARK(instrumented_function_call);

void plain_function_call(benchmark::State& state) {
  for (auto _ : state)
    plain_function();
}
BENCHMARK(plain_function_call);

}  // namespace

BENCHMARK_MAIN();
