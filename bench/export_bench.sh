#!/bin/sh
# Measures `prof export` and `prof flamegraph` of a run of many MPI ranks (docs/PERFORMANCE.md, "Exports and
# flame graphs of 1024 ranks"): each streams its snapshots as `prof report` does.
# Usage: bench/export_bench.sh PROF [DIR] [RANKS] [SITES]
# Writes DIR (default /tmp/prof-merge-bench, shared with bench/merge_bench.sh) with bench/gen_run.py unless it
# already holds RANKS snapshots, then prints wall seconds, CPU seconds (user + system: the figure a busy
# machine does not inflate) and peak RSS of `prof report --meta` (reading and parsing every file: the floor),
# each export format and the flame graphs. The load average is printed first and last: on a shared machine,
# wall time over CPU time shows how much the other work took.
set -eu
prof=$1
dir=${2:-/tmp/prof-merge-bench}
ranks=${3:-1024}
sites=${4:-10000}
here=$(dirname "$0")
out=$(mktemp -d /tmp/prof-export-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
if [ "$(ls "$dir" 2>/dev/null | grep -c '\.prof\.json$')" != "$ranks" ]; then
  rm -rf "$dir"
  /usr/bin/python3 "$here/gen_run.py" "$dir" --ranks "$ranks" --sites "$sites"
fi
echo "$(du -sh "$dir" | cut -f1) in $ranks snapshots of $sites memory sites; load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure() {
  label=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$@" > /dev/null 2> "$out/err" || {
    cat "$out/err"
    exit 1
  }
  read -r wall user system rss < "$out/time"
  printf '%-36s %6.1f s wall %6.1f s CPU %5d MB peak RSS\n' "$label" "$wall" \
    "$(echo "$user + $system" | bc)" "$((rss / 1024))"
}
measure "parse (prof report --meta)" "$prof" report "$dir" --meta
for format in pstats chrome speedscope folded pprof massif; do
  measure "export --format $format" "$prof" export "$dir" --format "$format" -o "$out/x" --force
done
measure "export --format folded --mem" "$prof" export "$dir" --format folded --mem -o "$out/x" --force
measure "export --format speedscope --mem" "$prof" export "$dir" --format speedscope --mem -o "$out/x" --force
measure "export --format pprof --mem" "$prof" export "$dir" --format pprof --mem -o "$out/x" --force
measure "flamegraph (scopes, html)" "$prof" flamegraph "$dir" -o "$out/x" --force
measure "flamegraph --mem (html)" "$prof" flamegraph "$dir" --mem -o "$out/x" --force
measure "flamegraph --mem --format text" "$prof" flamegraph "$dir" --mem --format text
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
