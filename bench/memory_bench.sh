#!/bin/sh
# Times bench/alloc_heavy plain, under heaptrack and under `prof run` (symbolisation included), alternated
# round by round so that drift of a shared machine hits all three alike; prints the medians and what each
# tool adds, as ratios. Results go into docs/PERFORMANCE.md, "Memory tracer".
#
#   sh bench/memory_bench.sh BUILD_DIR [ROUNDS] [PAIRS]
#   sh bench/memory_bench.sh BUILD_DIR [ROUNDS] [PAIRS] threads
# The second form is the scaling check instead: the pairs as two halves on one thread, then on two threads at
# once, plain and under `prof run`; two threads must not take longer than one.
set -eu
build=${1:?usage: memory_bench.sh BUILD_DIR [ROUNDS] [PAIRS]}
rounds=${2:-5}
pairs=${3:-10000000}
program=$build/bin/alloc_heavy
prof=$build/bin/prof
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds() {  # wall seconds of a command, its output discarded
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

if [ "${4:-}" = threads ]; then
  for f in plain1 plain2 prof1 prof2; do : >"$work/$f"; done
  for r in $(seq "$rounds"); do
    seconds "$program" "$pairs" serial2 >>"$work/plain1"
    seconds "$program" "$pairs" threads2 >>"$work/plain2"
    seconds "$prof" run -o "$work/s.$r" -- "$program" "$pairs" serial2 >>"$work/prof1"
    seconds "$prof" run -o "$work/t.$r" -- "$program" "$pairs" threads2 >>"$work/prof2"
  done
  awk -v a="$(median "$work/plain1")" -v b="$(median "$work/plain2")" -v c="$(median "$work/prof1")" \
      -v d="$(median "$work/prof2")" -v n="$pairs" -v r="$rounds" 'BEGIN {
    printf "alloc_heavy %d pairs in two halves, median of %d alternated rounds\n", n, r
    printf "%-10s one thread %8.3f s   two threads %8.3f s   two/one %.2f\n", "plain", a, b, b / a
    printf "%-10s one thread %8.3f s   two threads %8.3f s   two/one %.2f (must be at most 1)\n", "prof run", c, d, d / c
  }'
  exit 0
fi
command -v heaptrack >/dev/null || { echo "memory_bench: heaptrack is not installed" >&2; exit 2; }

: >"$work/plain"; : >"$work/heaptrack"; : >"$work/prof"
for r in $(seq "$rounds"); do
  seconds "$program" "$pairs" >>"$work/plain"
  seconds heaptrack -o "$work/ht.$r" "$program" "$pairs" >>"$work/heaptrack"
  seconds "$prof" run -o "$work/prof.$r" -- "$program" "$pairs" >>"$work/prof"
done

plain=$(median "$work/plain")
heaptrack=$(median "$work/heaptrack")
profrun=$(median "$work/prof")
snapshot=$(du -k "$work"/prof.1/*.prof.json | awk '{ s += $1 } END { print s }')
trace=$(du -k "$work"/ht.1* | awk '{ s += $1 } END { print s }')
awk -v p="$plain" -v h="$heaptrack" -v f="$profrun" -v n="$pairs" -v r="$rounds" -v s="$snapshot" -v t="$trace" 'BEGIN {
  printf "alloc_heavy %d pairs, median of %d alternated rounds\n", n, r
  printf "%-10s %8.3f s  %5.2fx\n", "plain", p, 1
  printf "%-10s %8.3f s  %5.2fx  adds %.3f s   trace %d KiB\n", "heaptrack", h, h / p, h - p, t
  printf "%-10s %8.3f s  %5.2fx  adds %.3f s   snapshot %d KiB\n", "prof run", f, f / p, f - p, s
  printf "prof run adds %.2f of what heaptrack adds (target: at most 0.33)\n", (f - p) / (h - p)
}'
