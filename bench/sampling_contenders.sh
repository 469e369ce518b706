#!/usr/bin/env bash
# The sampler's cost next to the sampling profilers people would use instead (docs/PERFORMANCE.md, "Sampling
# profiler"): bench/sampling_work.cpp (fixed CPU-bound work, two threads, -O2 without frame pointers) run
# plain, under `prof run` (--sample 0, the default 199 Hz, 1000 Hz), `perf record -g` (the cpu-clock software
# event: a VM has no cycles counter; at 199 and 1000 Hz) and gperftools' CPU profiler
# (LD_PRELOAD=libprofiler.so CPUPROFILE=..., at 199 and 1000 Hz), in alternated rounds: each round runs every
# variant once, so a slow phase of a shared machine hits them all. The figure is CPU time (user + system of
# the whole command, the tool's own processes included: perf's writer, prof's symbolisation), the median of
# the rounds; wall time is not comparable on a loaded machine. A tool that is missing is left out, said once.
# Usage: bench/sampling_contenders.sh BUILD_DIR [ROUNDS] [WORK]
set -euo pipefail
build=${1:?usage: sampling_contenders.sh BUILD_DIR [ROUNDS] [WORK]}
rounds=${2:-5}
work=${3:-600}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
c++ -O2 -g -fomit-frame-pointer -pthread "$here/sampling_work.cpp" -o "$scratch/sampling_work"
prof="$build/bin/prof"
program=("$scratch/sampling_work" "$work")

variants=(plain prof_0 prof_199 prof_1000)
if command -v perf >/dev/null && perf record -q -N -e cpu-clock -o "$scratch/probe.data" -- true >/dev/null 2>&1; then
  variants+=(perf_199 perf_1000)
else
  echo "sampling_contenders: perf is missing or cannot record here: left out" >&2
fi
profiler=""
for candidate in /usr/lib/*/libprofiler.so.0; do
  [[ -e $candidate ]] && profiler=$candidate && break
done
if [[ -n $profiler ]]; then
  variants+=(gperftools_199 gperftools_1000)
else
  echo "sampling_contenders: libprofiler.so.0 (libgoogle-perftools-dev) is missing: left out" >&2
fi

run_variant() {  # runs one variant of the program, output discarded; a failure is noted, not fatal
  local hz=${1#*_} status=0
  rm -rf "$scratch/out" "$scratch/perf.data" "$scratch/cpu.prof"
  case $1 in
    plain) "${program[@]}" || status=$? ;;
    prof_*) "$prof" run -o "$scratch/out" --sample "$hz" -- "${program[@]}" || status=$? ;;
    perf_*) perf record -q -N -g -e cpu-clock -F "$hz" -o "$scratch/perf.data" -- "${program[@]}" || status=$? ;;
    gperftools_*)
      LD_PRELOAD=$profiler CPUPROFILE=$scratch/cpu.prof CPUPROFILE_FREQUENCY=$hz "${program[@]}" || status=$?
      ;;
  esac
  [[ $status -eq 0 ]] || echo "sampling_contenders: $1 exited $status" >>"$scratch/failures"
}

cpu_seconds() {  # user + system CPU seconds of "$@" and its children
  local TIMEFORMAT='%U %S'
  { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ printf "%.3f\n", $1 + $2 }'
}

declare -A runs  # runs[variant,round]
for ((r = 0; r < rounds; ++r)); do
  for variant in "${variants[@]}"; do
    runs[$variant,$r]=$(cpu_seconds run_variant "$variant")
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# The median over rounds of a variant's CPU time, and of its ratio to another variant in the same round (a
# slow phase of the machine hits both sides of a round's ratio).
median_of() {
  for ((r = 0; r < rounds; ++r)); do echo "${runs[$1,$r]}"; done | median
}
ratio_to() {
  for ((r = 0; r < rounds; ++r)); do
    awk -v a="${runs[$1,$r]}" -v b="${runs[$2,$r]}" 'BEGIN { print 100 * (a - b) / b }'
  done | median
}
label() {
  case $1 in
    plain) echo "plain" ;;
    prof_*) echo "prof run --sample ${1#*_}" ;;
    perf_*) echo "perf record -g -F ${1#*_}" ;;
    gperftools_*) echo "gperftools ${1#*_} Hz" ;;
  esac
}
[[ -e $scratch/failures ]] && sort "$scratch/failures" | uniq -c >&2
echo "sampling_work $work, $rounds alternated rounds: median CPU seconds (user + system), median of each round's ratio"
printf '%-26s %8s %9s %14s\n' "run" "cpu s" "vs plain" "vs --sample 0"
for variant in "${variants[@]}"; do
  vs_shim=""
  [[ $variant == prof_* && $variant != prof_0 ]] && vs_shim=$(printf '%+.1f%%' "$(ratio_to "$variant" prof_0)")
  printf '%-26s %8.3f %+8.1f%% %14s\n' "$(label "$variant")" "$(median_of "$variant")" \
    "$(ratio_to "$variant" plain)" "$vs_shim"
done
