#!/usr/bin/env python3
"""The overhead compensation's accuracy (issue 12, item 6; docs/PERFORMANCE.md, "Overhead compensation").

Runs build/bin/scope_compensation_bench (the scopes.compensation test's loop: CHILDREN empty scopes inside a
parent, against the same loop built without the macros) until it has ROUNDS undisturbed rounds, and prints for
each the share of the instrumentation's cost the compensation removed (100 % is exact), the cost per empty
child as measured and as the start-up calibration estimated it:

    python3 bench/scope_compensation_bench.py [BUILD_DIR [ROUNDS [CHILDREN]]]

Defaults: build, 21 rounds, 1 000 000 children (the test's rounds). On a busy machine rounds that long are
all preempted: run it under `chrt -f 10`, or with 100000 children.
"""
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile


def rounds_of(directory):
    """(label, figures) of every on-demand snapshot in the directory, in order."""
    found = []
    for path in glob.glob(os.path.join(directory, "*.prof.json")):
        with open(path) as f:
            snapshot = json.load(f)
        if "sequence" in snapshot["meta"]:  # on demand (the exit snapshot has none)
            found.append((snapshot["meta"]["sequence"], snapshot))
    result = []
    for _, snapshot in sorted(found, key=lambda s: s[0]):
        scopes = snapshot["scopes"]
        strings = snapshot["strings"]
        sites = scopes["sites"]["rows"]
        thread = scopes["threads"][0]
        columns = thread["nodes"]["columns"]
        rows = {strings[sites[row[columns.index("site")]][0]]: dict(zip(columns, row))
                for row in thread["nodes"]["rows"]}
        result.append((snapshot["meta"].get("label", ""), scopes["overhead"], rows))
    return result


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 21
    children = int(sys.argv[3]) if len(sys.argv) > 3 else 1000000
    program = os.path.join(build, "bin", "scope_compensation_bench")
    removed, measured, calibrated, set_aside = [], [], [], 0
    print("round  plain ms  raw ms  compensated ms  removed  per child, inner+outer: measured  calibrated")
    for attempt in range(20):
        if len(removed) >= wanted:
            break
        with tempfile.TemporaryDirectory() as directory:
            subprocess.run([program, "7", str(children)], check=True,
                           env=dict(os.environ, PROF_OUTPUT=directory))
            for label, overhead, rows in rounds_of(directory):
                if label != "undisturbed":
                    set_aside += 1
                    continue
                if len(removed) >= wanted:
                    break
                plain = rows["plain loop"]["total_ns"]
                raw = rows["instrumented loop"]["raw_total_ns"]
                compensated = rows["instrumented loop"]["total_ns"]
                share = (raw - compensated) / (raw - plain)
                per_child = (raw - plain) / children
                estimate = overhead["inner_ns"] + overhead["outer_ns"]
                inner = rows["empty child"]["raw_total_ns"] / children
                removed.append(share)
                measured.append(per_child)
                calibrated.append(estimate)
                print(f"{len(removed):5d}  {plain / 1e6:8.3f}  {raw / 1e6:6.2f}  {compensated / 1e6:14.2f}  "
                      f"{share * 100:6.1f} %  {per_child:8.2f} ns ({inner:.2f}+{per_child - inner:.2f})  "
                      f"{estimate:6.2f} ns ({overhead['inner_ns']:.2f}+{overhead['outer_ns']:.2f})")
    if not removed:
        print("no undisturbed round: the machine is too busy")
        return 1
    print(f"removed: median {statistics.median(removed) * 100:.1f} %, "
          f"range {min(removed) * 100:.1f} % to {max(removed) * 100:.1f} % over {len(removed)} rounds "
          f"({set_aside} preempted rounds set aside); per child measured {statistics.median(measured):.2f} ns, "
          f"calibrated {statistics.median(calibrated):.2f} ns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
