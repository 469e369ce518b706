#!/bin/bash
# The sampled memory tracer's cost on the workload suite, the shim alone (no `prof run`, so no symbolisation):
# each workload plain, under the shim with the tracer off (PROF_MEMORY=0: the interposition alone) and sampled
# at 512 KiB (PROF_MEMORY_SAMPLE=524288), alternated round by round; the median CPU time (perf's task-clock,
# every thread) and wall time per column, and their ratios to plain. docs/PERFORMANCE.md, "Sampled mode".
#   bash bench/memory_sampled_cost.sh ROUNDS BUILD_DIR      (WORKLOADS="python sqlite" for a subset)
set -eu
rounds=${1:?usage: memory_sampled_cost.sh ROUNDS BUILD_DIR}
B=$(cd "${2:?usage: memory_sampled_cost.sh ROUNDS BUILD_DIR}" && pwd)
S=$B/lib/libprof_preload.so
R=$(cd "$(dirname "$0")" && pwd)/real
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -g -o "$work/live_blocks" "$R/live_blocks.c"
export PYTHONMALLOC=malloc
command_of() {
  case $1 in
    sqlite) cmd=(sqlite3 -init /dev/null :memory: ".read $R/sqlite_table.sql") ;;
    python) cmd=(/usr/bin/python3 "$R/json_records.py" 30000) ;;
    live_blocks) cmd=("$work/live_blocks" 2000000) ;;
    alloc_heavy) cmd=("$B/bin/alloc_heavy" 2000000) ;;
    deep_recursion) cmd=("$B/bin/deep_recursion" 4000) ;;
    distinct_stacks) cmd=("$B/bin/distinct_stacks" 4) ;;
    threads8) cmd=("$B/bin/threads8" 500000) ;;
    containers) cmd=("$B/bin/containers" 1000000) ;;
  esac
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of $rounds alternated rounds: CPU ms / wall ms, and ratio to plain (CPU, wall)"
for w in ${WORKLOADS:-sqlite python live_blocks alloc_heavy deep_recursion distinct_stacks threads8 containers}; do
  rm -f "$work"/m.*
  command_of "$w"
  for r in $(seq "$rounds"); do
    for col in plain off sampled; do
      case $col in
        plain) env=(PROF_NONE=1) ;;
        off) env=(LD_PRELOAD="$S" PROF_OUTPUT="$work/out" PROF_MEMORY=0) ;;
        sampled) env=(LD_PRELOAD="$S" PROF_OUTPUT="$work/out" PROF_MEMORY_SAMPLE=524288) ;;
      esac
      rm -rf "$work/out"
      start=$(date +%s%N)
      # env sets the preload for the workload only, not for perf.
      perf stat -x, -e task-clock -o "$work/stat" -- env "${env[@]}" "${cmd[@]}" >/dev/null 2>&1 </dev/null
      end=$(date +%s%N)
      awk -F, '/task-clock/ {print $1}' "$work/stat" >>"$work/m.$col.cpu"
      echo $(((end - start) / 1000000)) >>"$work/m.$col.wall"
    done
  done
  pc=$(median <"$work/m.plain.cpu")
  pw=$(median <"$work/m.plain.wall")
  line=$(printf "%-16s plain %7.1f / %6.0f" "$w" "$pc" "$pw")
  for col in off sampled; do
    c=$(median <"$work/m.$col.cpu")
    wl=$(median <"$work/m.$col.wall")
    line="$line | $(printf "%s %7.1f / %6.0f (%.3f, %.3f)" $col "$c" "$wl" "$(echo "$c/$pc" | bc -l)" "$(echo "$wl/$pw" | bc -l)")"
  done
  echo "$line"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
