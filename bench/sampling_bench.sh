#!/usr/bin/env bash
# The sampling profiler's cost (docs/PERFORMANCE.md, "Sampling profiler"): bench/sampling_work.cpp (fixed
# CPU-bound work, two threads, -O2 without frame pointers) run plain, under `prof run --sample 0` (the shim
# without sampling), at the default 199 Hz and at 1000 Hz, in alternated rounds. The figure is the process's
# CPU time (user + system), not wall time: the handler's work is CPU time of the sampled threads, and CPU
# time is what stays comparable on a shared, loaded machine.
# Usage: bench/sampling_bench.sh BUILD_DIR [ROUNDS] [WORK]
set -euo pipefail
build=${1:?usage: sampling_bench.sh BUILD_DIR [ROUNDS] [WORK]}
rounds=${2:-7}
work=${3:-400}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
c++ -O2 -g -fomit-frame-pointer -pthread "$here/sampling_work.cpp" -o "$scratch/sampling_work"
prof="$build/bin/prof"

cpu_seconds() {  # runs "$@", prints its user + system CPU seconds
  local TIMEFORMAT='%U %S'
  { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ printf "%.3f\n", $1 + $2 }'
}

declare -A runs
for ((r = 0; r < rounds; ++r)); do
  runs[plain]+="$(cpu_seconds "$scratch/sampling_work" "$work") "
  for hz in 0 199 1000; do
    rm -rf "$scratch/out"
    runs[$hz]+="$(cpu_seconds "$prof" run -o "$scratch/out" --sample "$hz" -- "$scratch/sampling_work" "$work") "
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
base=$(echo "${runs[plain]}" | median)
printf '%-22s %10s %10s\n' "run" "cpu s" "vs plain"
for key in plain 0 199 1000; do
  m=$(echo "${runs[$key]}" | median)
  label=$key
  [[ $key != plain ]] && label="prof run --sample $key"
  printf '%-22s %10.3f %+9.1f%%\n' "$label" "$m" "$(awk -v a="$m" -v b="$base" 'BEGIN { print 100 * (a - b) / b }')"
done
