#!/usr/bin/env bash
# The MPI layer's cost per call (docs/PERFORMANCE.md, "MPI layer"): bench/mpi_calls run on one rank plain,
# with libprof_mpi.so preloaded (the layer alone), and under `prof run` (layer, shim and memory tracer),
# alternated, ROUNDS times each; prints the median ns per call of each way and the difference to plain.
#   bench/mpi_bench.sh BUILD_DIR [ROUNDS] [CALLS]
set -euo pipefail
build=${1:?usage: bench/mpi_bench.sh BUILD_DIR [ROUNDS] [CALLS]}
rounds=${2:-5}
calls=${3:-1000000}
program=$build/bin/mpi_calls
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun=(mpirun --bind-to none --mca btl self,vader -np 1)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((r = 0; r < rounds; r++)); do
  "${mpirun[@]}" "$program" "$calls" >>"$out/plain"
  "${mpirun[@]}" env LD_PRELOAD="$build/lib/libprof_mpi.so" PROF_OUTPUT="$out/snap" "$program" "$calls" \
    >>"$out/layer"
  "${mpirun[@]}" "$build/bin/prof" run -o "$out/run" -- "$program" "$calls" >>"$out/prof_run" 2>/dev/null
done
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
printf '%-14s %10s %10s %10s %12s %12s\n' call plain layer "prof run" "layer-plain" "run-plain"
for call in MPI_Allreduce MPI_Bcast MPI_Barrier; do
  p=$(grep "^$call " "$out/plain" | cut -d' ' -f2 | median)
  l=$(grep "^$call " "$out/layer" | cut -d' ' -f2 | median)
  r=$(grep "^$call " "$out/prof_run" | cut -d' ' -f2 | median)
  awk -v c="$call" -v p="$p" -v l="$l" -v r="$r" \
    'BEGIN { printf "%-14s %10.1f %10.1f %10.1f %12.1f %12.1f\n", c, p, l, r, l - p, r - p }'
done
