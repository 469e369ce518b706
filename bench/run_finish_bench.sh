#!/bin/bash
# What `prof run` costs after the program has ended: symbolising its snapshot (`prof __finish-run`, the step
# prof run takes itself) for three raw snapshots made once with the first build's shim: alloc_heavy sampled at
# 512 KiB (few frames, the fixed cost of opening the modules), 117 649 distinct stacks (6 MB) and python3's
# JSON workload (2.5 MB, 2 500 frames of a binary without DWARF). Each build's prof symbolises a fresh copy,
# alternated round by round; the median CPU time (perf's task-clock) and page faults. A snapshot from 3 MB up
# is finished with glibc's huge-page tunable, as prof run's second start does (from 3 MB). docs/PERFORMANCE.md,
# "prof run's finish".
#   bash bench/run_finish_bench.sh ROUNDS BUILD_DIR [BUILD_DIR...]
set -eu
rounds=${1:?usage: run_finish_bench.sh ROUNDS BUILD_DIR [BUILD_DIR...]}
shift
[ $# -ge 1 ] || { echo "usage: run_finish_bench.sh ROUNDS BUILD_DIR [BUILD_DIR...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
first=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
snapshot() {  # name, then the environment and command that make its raw snapshot
  local name=$1
  shift
  mkdir -p "$work/$name"
  env LD_PRELOAD="$first/lib/libprof_preload.so" PROF_OUTPUT="$work/$name" "$@" >/dev/null
  mv "$work/$name"/*.prof.json "$work/$name.raw"
}
snapshot sampled PROF_MEMORY_SAMPLE=524288 "$first/bin/alloc_heavy" 2000000
snapshot distinct "$first/bin/distinct_stacks" 4
snapshot python PYTHONMALLOC=malloc /usr/bin/python3 "$here/real/json_records.py" 30000
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  for name in sampled distinct python; do
    i=0
    for build in "$@"; do
      i=$((i + 1))
      file=$work/$name/snapshot.prof.json
      cp "$work/$name.raw" "$file"
      tunables=()
      [ "$(stat -c %s "$file")" -ge 3145728 ] && tunables=(GLIBC_TUNABLES=glibc.malloc.hugetlb=1)
      env "${tunables[@]}" perf stat -x, -e task-clock,page-faults "$build/bin/prof" __finish-run "$work/$name" 0 \
        "$file" 2>&1 >/dev/null | awk -F, -v key="$name.$i" '/task-clock/ { t = $1 } /page-faults/ { print key, t, $1 }' \
        >>"$work/results"
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "median of $rounds alternated rounds: CPU ms, page faults"
for name in sampled distinct python; do
  printf "%-10s" "$name"
  i=0
  for build in "$@"; do
    i=$((i + 1))
    cpu=$(awk -v k="$name.$i" '$1 == k { print $2 }' "$work/results" | median)
    faults=$(awk -v k="$name.$i" '$1 == k { print $3 }' "$work/results" | median)
    printf "  %s: %7.1f ms %6d faults" "$build" "$cpu" "$faults"
  done
  echo
done
