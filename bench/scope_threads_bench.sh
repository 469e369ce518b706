#!/bin/sh
# Many short threads that each enter a few scopes (issue 17, item 5): peak RSS, wall time and snapshot size,
# with the scope profiler on and off (PROF_SCOPES=0) in the same binary. An ended thread's tree is folded
# into a compact copy, so the peak RSS grows by a few hundred bytes a thread, not by ~40 KiB.
# Results go into docs/PERFORMANCE.md, "Scope profiler: many short threads".
#
#   sh bench/scope_threads_bench.sh BUILD_DIR [THREADS]
# Uses the tests' workload (tests/scopes/programs/lifecycle_workloads.cpp, mode many_threads): threads run one
# after the other, each with 4 scopes (5 calls).
set -eu
build=${1:?usage: scope_threads_bench.sh BUILD_DIR [THREADS]}
threads=${2:-100000}
program=$build/tests/scopes/programs/lifecycle_workloads
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for scopes in 1 0; do
  rm -f "$work"/*.prof.json
  start=$(date +%s.%N)
  PROF_OUTPUT=$work PROF_SCOPES=$scopes /usr/bin/time -f "%M" -o "$work/rss" "$program" many_threads "$threads" \
    >"$work/out"
  end=$(date +%s.%N)
  size=$(cat "$work"/*.prof.json 2>/dev/null | wc -c)
  awk -v s="$scopes" -v a="$start" -v b="$end" -v rss="$(cat "$work/rss")" -v n="$threads" -v bytes="$size" \
    'BEGIN { printf "scopes %s: %d threads  %.2f s  peak RSS %.1f MiB  snapshot %.1f MiB\n", \
             (s == 1 ? "on " : "off"), n, b - a, rss / 1024, bytes / 1048576 }'
done
