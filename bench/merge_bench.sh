#!/bin/sh
# Measures `prof report` merging a run of many MPI ranks (docs/PERFORMANCE.md, "Merging 1024 ranks").
# Usage: bench/merge_bench.sh PROF [DIR] [RANKS] [SITES]
# Writes DIR (default /tmp/prof-merge-bench) with bench/gen_run.py unless it already holds RANKS snapshots,
# then prints wall seconds and peak RSS (KB) of: reading the files (cat), parsing them (prof report --meta,
# which reads and validates every snapshot but merges only metas), the default report, and --mem.
set -eu
prof=$1
dir=${2:-/tmp/prof-merge-bench}
ranks=${3:-1024}
sites=${4:-10000}
here=$(dirname "$0")
if [ "$(ls "$dir" 2>/dev/null | grep -c '\.prof\.json$')" != "$ranks" ]; then
  rm -rf "$dir"
  /usr/bin/python3 "$here/gen_run.py" "$dir" --ranks "$ranks" --sites "$sites"
fi
echo "$(du -sh "$dir" | cut -f1) in $ranks snapshots of $sites memory sites"
measure() {
  label=$1
  shift
  /usr/bin/time -f "$label: %e s, peak RSS %M KB" "$@" > /dev/null 2> /tmp/prof-merge-bench.err || {
    cat /tmp/prof-merge-bench.err
    exit 1
  }
  tail -n 1 /tmp/prof-merge-bench.err
}
measure "cat (read floor)" sh -c "cat '$dir'/* > /dev/null"
measure "parse (prof report --meta)" "$prof" report "$dir" --meta
measure "prof report DIR" "$prof" report "$dir"
measure "prof report DIR --mem" "$prof" report "$dir" --mem
