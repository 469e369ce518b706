#!/bin/sh
# The memory tracer's workload suite (issue 13), side by side with heaptrack: each workload runs plain, under
# heaptrack, under `prof run` (exact mode) and, when that build's `prof run --help` mentions --mem-sample,
# under `prof run --mem-sample 524288` (sampled mode), alternated round by round so that drift of a shared
# machine hits every column alike. The run right after heaptrack's is slower (0.1 s more for the containers:
# the gigabytes heaptrack touched and gave back), and rotating one fixed order still put the same column after
# it in every round. So each round takes the columns in another row of a row-complete Latin square
# (Williams): over as many rounds as there are columns, every column comes right after heaptrack once (ROUNDS
# a multiple of the column count balances it fully). For each it prints the median wall time and the median CPU time (user + system of every process,
# the tool's own helpers included: real/measure.py counts all waited-for descendants, heaptrack's interpreter
# and compressor, prof run's symbolisation, to the microsecond), then:
#   exact:   what prof adds over plain / what heaptrack adds over plain, wall and CPU (target <= 1/3 each,
#            geometric mean over the workloads <= 0.15);
#   sampled: sampled run / plain run, wall and CPU (target <= 1.05).
# Then the same ratios paired by round, with the interval in which their true median lies. The load average
# before and after is printed: the machine is shared. Results go into docs/PERFORMANCE.md,
# "Memory tracer", "Real programs".
#
#   sh bench/real_workloads.sh ROUNDS BUILD_DIR [BUILD_DIR...]
# Each BUILD_DIR holds bin/prof, bin/{alloc_heavy,deep_recursion,distinct_stacks,threads8,containers} (and
# deep_recursion_O0, containers_fp: the same built as debug and frame-pointer builds are) and
# lib/libprof_preload.so (the build tree, or a copy of an older build to compare before and after). The
# distinct stacks run twice: each pass in the same order (distinct_stacks: a program that repeats its work)
# and in a new random order each pass (distinct_shuffled: the stack cache's worst case, a cache miss for
# every site the tracer touches).
# PROF_WORKLOADS="name name" runs only those workloads. Needs heaptrack, sqlite3, Debian's /usr/bin/python3, cc.
# PROF_FLOOR=1 adds two columns that show the sampled mode's floor, as ratios to plain: off<N>, `prof run` with
# the tracer and the CPU sampler off (PROF_MEMORY=0: the launch, the shim's pass-through and the finish), and
# noop, the program with real/noop_interposer.c preloaded (malloc, free, calloc, realloc forwarded and nothing
# else: what any LD_PRELOAD tool costs at the least). With one BUILD_DIR the columns stay an even six.
set -eu
rounds=${1:?usage: real_workloads.sh ROUNDS BUILD_DIR [BUILD_DIR...]}
shift
[ $# -ge 1 ] || { echo "usage: real_workloads.sh ROUNDS BUILD_DIR [BUILD_DIR...]" >&2; exit 2; }
for tool in heaptrack sqlite3 cc python3 /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "real_workloads: $tool is not installed" >&2; exit 2; }
done
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -g -o "$work/live_blocks" "$here/real/live_blocks.c"
cc -O2 -g -pthread -o "$work/aligned_blocks" "$here/real/aligned_blocks.c"
floor=${PROF_FLOOR:-0}
[ "$floor" = 1 ] && cc -O2 -shared -fPIC -o "$work/noop_interposer.so" "$here/real/noop_interposer.c" -ldl
sample_bytes=524288

# name|command, split into words (no shell between the tool and the program: heaptrack would trace the shell
# alone). PYTHONMALLOC=malloc sends every Python object through malloc; the other programs ignore it.
export PYTHONMALLOC=malloc
cat >"$work/all" <<END
sqlite|sqlite3 -init /dev/null :memory: .read\ $here/real/sqlite_table.sql
python|/usr/bin/python3 $here/real/json_records.py 30000
live_blocks|$work/live_blocks 2000000
aligned_blocks|$work/aligned_blocks 1000000
alloc_heavy|$1/bin/alloc_heavy 2000000
deep_recursion|$1/bin/deep_recursion 4000
distinct_stacks|$1/bin/distinct_stacks 4
distinct_shuffled|$1/bin/distinct_stacks 4 shuffled
threads8|$1/bin/threads8 500000
containers|$1/bin/containers 1000000
deep_recursion_O0|$1/bin/deep_recursion_O0 4000
containers_fp|$1/bin/containers_fp 1000000
END
if [ -n "${PROF_WORKLOADS:-}" ]; then
  : >"$work/workloads"
  for w in $PROF_WORKLOADS; do grep "^$w|" "$work/all" >>"$work/workloads" || true; done
else
  cp "$work/all" "$work/workloads"
fi

# One run: appends "wall cpu" to $work/<workload>.<column>.
measure() {  # workload column command...
  out="$work/$1.$2"
  shift 2
  python3 "$here/real/measure.py" "$work/time" "$@" >/dev/null 2>"$work/stderr" </dev/null ||
    { echo "real_workloads: failed: $*" >&2; cat "$work/stderr" >&2; exit 1; }
  cat "$work/time" >>"$out"
}

builds="$*"  # directories without spaces
columns="plain heaptrack"
i=0
for build in "$@"; do
  i=$((i + 1))
  columns="$columns prof$i"
  if "$build/bin/prof" run --help 2>&1 | grep -q -- --mem-sample; then columns="$columns sampled$i"; fi
  if [ "$floor" = 1 ]; then columns="$columns off$i"; fi
done
if [ "$floor" = 1 ]; then columns="$columns noop"; fi

# The build directory numbered $1 (1 = the first given).
build_of() {
  j=0
  for b in $builds; do
    j=$((j + 1))
    if [ "$j" = "$1" ]; then echo "$b"; return; fi
  done
}

# One run of one column: run_column workload column command...
run_column() {
  name=$1 column=$2
  shift 2
  case $column in
    plain) measure "$name" plain "$@" ;;
    heaptrack)
      measure "$name" heaptrack heaptrack -o "$work/ht" "$@"
      rm -f "$work"/ht* ;;
    prof*)
      measure "$name" "$column" "$(build_of "${column#prof}")/bin/prof" run -o "$work/snap" -- "$@"
      rm -rf "$work/snap" ;;
    sampled*)
      measure "$name" "$column" "$(build_of "${column#sampled}")/bin/prof" run --mem-sample "$sample_bytes" \
        -o "$work/snap" -- "$@"
      rm -rf "$work/snap" ;;
    off*)  # (in the environment of measure.py, not by env: an exec more would count)
      (export PROF_MEMORY=0 && measure "$name" "$column" "$(build_of "${column#off}")/bin/prof" run \
        -o "$work/snap" -- "$@") || exit 1
      rm -rf "$work/snap" ;;
    noop) (export LD_PRELOAD="$work/noop_interposer.so" && measure "$name" noop "$@") || exit 1 ;;
  esac
}

# Round r's order of the columns: row r of a Williams design (offsets 0, 1, n-1, 2, n-2, ...), in which each
# column follows every other exactly once over n rows when n is even (it is: two columns per build with
# --mem-sample, plus plain and heaptrack).
round_order() {
  awk -v r="$1" -v cols="$columns" 'BEGIN {
    n = split(cols, c, " ")
    for (k = 0; k < n; k++) { w = (k == 0) ? 0 : (k % 2 ? (k + 1) / 2 : n - k / 2); printf "%s ", c[(r + w) % n + 1] } }'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
for r in $(seq "$rounds"); do
  while IFS='|' read -r name command; do
    eval "set -- $command"
    for c in $(round_order "$r"); do run_column "$name" "$c" "$@"; done
  done <"$work/workloads"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() {  # file column
  awk -v c="$2" '{ print $c }' "$1" | sort -n |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "median of $rounds alternated rounds; wall s / CPU s (user+sys, all processes); prof$(
  i=0; for b in $builds; do i=$((i + 1)); printf ' %s=%s' "$i" "$b"; done)"
echo "exact: prof adds / heaptrack adds (wall, CPU); sampled: sampled / plain (wall, CPU)"
printf "%-16s %-15s %-13s" workload plain heaptrack
for c in $columns; do
  case $c in
    prof*) printf " %-15s %-12s" "$c" "adds/ht" ;;
    sampled* | off* | noop) printf " %-15s %-12s" "$c" "/plain" ;;
  esac
done
echo
: >"$work/ratios"
while IFS='|' read -r name command; do
  pw=$(median "$work/$name.plain" 1); pc=$(median "$work/$name.plain" 2)
  hw=$(median "$work/$name.heaptrack" 1); hc=$(median "$work/$name.heaptrack" 2)
  printf "%-16s %5.3f / %5.3f %5.2f / %5.2f" "$name" "$pw" "$pc" "$hw" "$hc"
  for c in $columns; do
    case $c in plain | heaptrack) continue ;; esac
    fw=$(median "$work/$name.$c" 1); fc=$(median "$work/$name.$c" 2)
    awk -v c="$c" -v pw="$pw" -v pc="$pc" -v hw="$hw" -v hc="$hc" -v fw="$fw" -v fc="$fc" 'BEGIN {
      if (c ~ /^prof/) { a = (fw - pw) / (hw - pw); b = (fc - pc) / (hc - pc) }
      else { a = fw / pw; b = fc / pc }
      printf "  %5.3f / %5.3f %5.2f, %5.2f", fw, fc, a, b
      printf "%s %s %s\n", c, a, b >> "'"$work/ratios"'" }'
  done
  echo
done <"$work/workloads"
# Geometric mean of the exact columns' ratios (a ratio at or below zero counts as 0.01).
printf "%-16s %29s" "geometric mean" ""
for c in $columns; do
  case $c in plain | heaptrack) continue ;; esac
  awk -v c="$c" '$1 == c { n++; a += log($2 > 0.01 ? $2 : 0.01); b += log($3 > 0.01 ? $3 : 0.01) }
    END { printf "  %15s %5.2f, %5.2f", "", exp(a / n), exp(b / n) }' "$work/ratios"
done
echo

# The same ratios paired by round: each round's ratio from that round's own runs, so that a slow phase of the
# machine, which moves every column of a round alike, cancels out instead of landing in one column's median.
# The median of the rounds' ratios, and the lowest and highest: the true median ratio lies between those two
# with confidence 1 - 2^(1 - ROUNDS) (97 % for 6 rounds), whatever the distribution (the sign test's interval).
echo "paired by round, CPU: median [lowest, highest] of the $rounds rounds' ratios (the true median between" \
  "lowest and highest with $(awk -v n="$rounds" 'BEGIN { printf "%.1f", 100 * (1 - 2 ^ (1 - n)) }') % confidence)"
while IFS='|' read -r name command; do
  printf "%-17s" "$name"
  for c in $columns; do
    case $c in plain | heaptrack) continue ;; esac
    paste -d' ' "$work/$name.plain" "$work/$name.heaptrack" "$work/$name.$c" |
      awk -v c="$c" '{ print (c ~ /^prof/) ? ($6 - $2) / ($4 - $2) : $6 / $2 }' | sort -g |
      awk -v c="$c" '{ v[NR] = $1 }
        END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "  %-9s %5.2f [%5.2f, %5.2f]", c, m, v[1], v[NR] }'
  done
  echo
done <"$work/workloads"
