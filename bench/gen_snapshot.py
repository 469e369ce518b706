#!/usr/bin/env python3
"""Writes a big, valid libprof snapshot for measuring the reader (docs/PERFORMANCE.md).

Usage: gen_snapshot.py OUT.prof.json [--sites N] [--nodes N] [--seed S]
Defaults: 100 000 memory sites and 100 000 scope nodes, with string, frame and stack tables sized like a
large C++ program's (long mangled-looking names, stacks 4 to 24 frames deep).
"""
import argparse
import json
import random


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    n_functions = max(10, args.sites // 5)
    n_files = max(2, n_functions // 20)
    strings = [""]
    files = []
    for i in range(n_files):
        files.append(len(strings))
        strings.append(f"/home/user/project/src/module_{i % 97}/component_{i}.cpp")
    functions = []
    for i in range(n_functions):
        functions.append(len(strings))
        strings.append(f"project::detail::Solver<double, {i % 7}>::assemble_block_{i}(std::vector<double> const&, int)")

    modules = [{"path": "/opt/app/bin/solver", "build_id": "ab" * 20, "base": 0x400000, "size": 1 << 26,
                "unloaded": False},
               {"path": "/usr/lib/x86_64-linux-gnu/libc.so.6", "build_id": "cd" * 20, "base": 0x7f0000000000,
                "size": 1 << 21, "unloaded": False}]
    n_frames = max(10, args.sites // 2)
    frames = [[rng.choice(functions), rng.choice(files), rng.randint(1, 5000), rng.randint(0, 1),
               rng.randint(0, 1 << 24), rng.random() < 0.1] for _ in range(n_frames)]
    stacks = [[rng.randrange(n_frames) for _ in range(rng.randint(4, 24))] for _ in range(args.sites)]
    memory_rows = []
    for s in range(args.sites):
        allocations = rng.randint(1, 100_000)
        size = rng.randint(8, 1 << 16)
        memory_rows.append([s, allocations, allocations * size, size * rng.randint(1, 50), rng.randint(0, 3),
                            rng.randint(0, 3) * size, rng.randint(0, allocations)])

    n_sites = max(10, args.nodes // 20)
    scope_sites = [[rng.choice(functions), rng.choice(files), rng.randint(1, 5000)] for _ in range(n_sites)]
    threads = []
    per_thread = max(1, args.nodes // 8)
    made = 0
    for t in range(8):
        rows = []
        count = per_thread if t < 7 else args.nodes - made
        for i in range(count):
            parent = -1 if i == 0 else rng.randrange(max(0, i - 50), i)
            total = rng.randint(1_000, 10_000_000_000)
            rows.append([parent, rng.randrange(n_sites), rng.randint(1, 1_000_000), rng.randint(1, 1000), total,
                         total // rng.randint(1, 10)])
        made += count
        threads.append({"id": t + 1, "name": "main" if t == 0 else f"worker-{t}",
                        "nodes": {"columns": ["parent", "site", "calls", "primitive_calls", "total_ns", "self_ns"],
                                  "rows": rows}})

    doc = {
        "format": "libprof-snapshot", "version": 1,
        "meta": {"program": "solver", "exe": "/opt/app/bin/solver", "argv": ["solver", "--big"], "pid": 4242,
                 "ppid": 1, "host": "bench", "start_time": "2026-11-24T21:58:06.123456Z", "wall_seconds": 12.5,
                 "user_seconds": 90.25, "system_seconds": 1.5, "max_rss_bytes": 8 << 30,
                 "exit": {"status": "exited", "code": 0}, "libprof_version": "0.1.0", "writer": "preload",
                 "clock": {"source": "tsc", "tsc_hz": 2.45e9}, "threads_seen": 8, "cores_online": 8},
        "strings": strings,
        "modules": modules,
        "frames": {"columns": ["function", "file", "line", "module", "offset", "inlined"], "rows": frames},
        "stacks": stacks,
        "scopes": {"sites": {"columns": ["name", "file", "line"], "rows": scope_sites}, "threads": threads},
        "memory": {"summary": {"allocations": sum(r[1] for r in memory_rows),
                               "allocated_bytes": sum(r[2] for r in memory_rows), "peak_bytes": 1 << 33,
                               "peak_wall_seconds": 6.0, "leaked_allocations": sum(r[4] for r in memory_rows),
                               "leaked_bytes": sum(r[5] for r in memory_rows)},
                   "sites": {"columns": ["stack", "allocations", "allocated_bytes", "peak_bytes",
                                         "leaked_allocations", "leaked_bytes", "temporary_allocations"],
                             "rows": memory_rows}},
    }
    with open(args.out, "w") as out:
        json.dump(doc, out, separators=(",", ":"))


if __name__ == "__main__":
    main()
