#!/bin/sh
# Every function a scope, against planted times (docs/PERFORMANCE.md): runs build/bin/instrumented_planted
# (built with prof_instrument) ROUNDS times and prints, per function, the calls and the median self and total
# times the report gives next to the planted ones. On a loaded machine a spin overshoots whenever the thread
# is preempted: run it as `chrt -f 10 bench/instrumented_planted.sh` (real-time priority) for the figures.
#   bench/instrumented_planted.sh [BUILD_DIR] [ROUNDS]
set -eu
build=${1:-build}
rounds=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for round in $(seq "$rounds"); do
  PROF_OUTPUT="$work/$round" "$build/bin/instrumented_planted" > "$work/$round.out"
  "$build/bin/prof" report "$work/$round" --scopes --format csv > "$work/$round.csv"
done
python3 - "$work" "$rounds" <<'PY'
import csv, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
# tiny(): what its spins took measured without the hooks in the same run (the program prints it).
tiny = statistics.median(float(open(f"{work}/{r}.out").read().split()[1]) for r in range(1, rounds + 1)) / 1e3
planted = {"outer": (20, 40e-3, 60e-3), "inner": (200, 20e-3, 20e-3), "tiny": (200000, tiny, tiny)}
rows = {name: [] for name in planted}
for r in range(1, rounds + 1):
    for row in csv.DictReader(open(f"{work}/{r}.csv")):
        if row["name"] in rows:
            rows[row["name"]].append(row)
print(f"{'function':10} {'calls':>8} {'self ms':>9} {'planted':>8} {'error':>7} {'total ms':>9} {'planted':>8} {'error':>7}")
for name, (calls, self_s, total_s) in planted.items():
    got = rows[name]
    counted = {int(row["calls"]) for row in got}
    self_ms = statistics.median(float(row["self_seconds"]) for row in got) * 1e3
    total_ms = statistics.median(float(row["total_seconds"]) for row in got) * 1e3
    print(f"{name:10} {'/'.join(map(str, sorted(counted))):>8} {self_ms:9.2f} {self_s * 1e3:8.1f} "
          f"{(self_ms / (self_s * 1e3) - 1) * 100:+6.1f}% {total_ms:9.2f} {total_s * 1e3:8.1f} "
          f"{(total_ms / (total_s * 1e3) - 1) * 100:+6.1f}%")
PY
