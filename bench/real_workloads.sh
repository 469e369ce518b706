#!/bin/sh
# The memory tracer on real allocation patterns (issue 13), side by side with heaptrack: each workload runs
# plain, under heaptrack and under `prof run` (one column per build given), alternated round by round so that
# drift of a shared machine hits every column alike. For each it prints the median wall time and the median CPU
# time (user + system of every process, the tool's own helpers included: /usr/bin/time counts all waited-for
# descendants), what each tool adds over the plain run, and the ratio "prof adds / heaptrack adds" for both.
# Results go into docs/PERFORMANCE.md, "Memory tracer on real programs".
#
#   sh bench/real_workloads.sh ROUNDS BUILD_DIR [BUILD_DIR...]
# Each BUILD_DIR holds bin/prof, bin/alloc_heavy and lib/libprof_preload.so (the build tree, or a copy of an
# older build to compare before and after). Needs heaptrack, sqlite3, Debian's /usr/bin/python3 and cc.
set -eu
rounds=${1:?usage: real_workloads.sh ROUNDS BUILD_DIR [BUILD_DIR...]}
shift
[ $# -ge 1 ] || { echo "usage: real_workloads.sh ROUNDS BUILD_DIR [BUILD_DIR...]" >&2; exit 2; }
for tool in heaptrack sqlite3 cc /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "real_workloads: $tool is not installed" >&2; exit 2; }
done
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -g -o "$work/live_blocks" "$here/real/live_blocks.c"

# name|command, split into words (no shell between the tool and the program: heaptrack would trace the shell
# alone). PYTHONMALLOC=malloc sends every Python object through malloc; the other programs ignore it.
export PYTHONMALLOC=malloc
cat >"$work/workloads" <<END
sqlite|sqlite3 -init /dev/null :memory: .read\ $here/real/sqlite_table.sql
python|/usr/bin/python3 $here/real/json_records.py 30000
live_blocks|$work/live_blocks 2000000
alloc_heavy|$1/bin/alloc_heavy 2000000
END

# One run: appends "wall cpu" to $work/<workload>.<column>.
measure() {  # workload column command...
  out="$work/$1.$2"
  shift 2
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" </dev/null ||
    { echo "real_workloads: failed: $*" >&2; cat "$work/stderr" >&2; exit 1; }
  awk '{ print $1, $2 + $3 }' "$work/time" >>"$out"
}

builds="$*"  # directories without spaces
columns="plain heaptrack"
i=0
for build in "$@"; do
  i=$((i + 1))
  columns="$columns prof$i"
done

for r in $(seq "$rounds"); do
  while IFS='|' read -r name command; do
    eval "set -- $command"
    measure "$name" plain "$@"
    measure "$name" heaptrack heaptrack -o "$work/ht" "$@"
    rm -f "$work"/ht*
    i=0
    for build in $builds; do
      i=$((i + 1))
      measure "$name" "prof$i" "$build/bin/prof" run -o "$work/snap" -- "$@"
      rm -rf "$work/snap"
    done
  done <"$work/workloads"
done

median() {  # file column
  awk -v c="$2" '{ print $c }' "$1" | sort -n |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "median of $rounds alternated rounds; wall s / CPU s (user+sys, all processes); prof$(
  i=0; for b in $builds; do i=$((i + 1)); printf ' %s=%s' "$i" "$b"; done)"
printf "%-12s %-14s %-14s" workload plain heaptrack
for c in $columns; do case $c in prof*) printf " %-14s %-16s" "$c" "adds/ht wall,cpu" ;; esac; done
echo
while IFS='|' read -r name command; do
  pw=$(median "$work/$name.plain" 1); pc=$(median "$work/$name.plain" 2)
  hw=$(median "$work/$name.heaptrack" 1); hc=$(median "$work/$name.heaptrack" 2)
  printf "%-12s %5.2f / %5.2f  %5.2f / %5.2f " "$name" "$pw" "$pc" "$hw" "$hc"
  for c in $columns; do
    case $c in prof*)
      fw=$(median "$work/$name.$c" 1); fc=$(median "$work/$name.$c" 2)
      awk -v pw="$pw" -v pc="$pc" -v hw="$hw" -v hc="$hc" -v fw="$fw" -v fc="$fc" 'BEGIN {
        printf " %5.2f / %5.2f  %5.2f , %5.2f   ", fw, fc, (fw - pw) / (hw - pw), (fc - pc) / (hc - pc) }' ;;
    esac
  done
  echo
done <"$work/workloads"
