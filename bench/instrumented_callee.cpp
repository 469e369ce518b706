// The empty function of bench/scope_bench.cpp's instrumented_function_call, compiled with
// -finstrument-functions (bench/CMakeLists.txt) as prof_instrument compiles a program: what one call costs
// when libprof's hooks record it (docs/PERFORMANCE.md, "Scope profiler").
void instrumented_empty_function();

__attribute__((noinline)) void instrumented_empty_function() {
  asm volatile("" ::: "memory");
}
