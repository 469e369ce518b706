#!/usr/bin/env python3
"""Writes a run directory of MPI rank snapshots for measuring `prof report`'s merge (docs/PERFORMANCE.md).

Usage: gen_run.py DIR [--ranks N] [--sites N] [--nodes N] [--seed S]
Defaults: 1024 ranks, 10 000 memory sites and 200 scope nodes each. The stacks, frames and strings are the
same program's in every rank (most stacks shared); each rank has its own numbers, and a tenth of its sites
are its own (rank-specific stacks), as in a real SPMD run.
"""
import argparse
import json
import os
import random


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--ranks", type=int, default=1024)
    parser.add_argument("--sites", type=int, default=10_000)
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.dir, exist_ok=True)

    n_functions = max(10, args.sites // 5)
    strings = [""] + [f"/home/user/project/src/module_{i % 97}/component_{i}.cpp" for i in range(100)]
    functions = list(range(len(strings), len(strings) + n_functions))
    strings += [f"project::detail::Solver<double, {i % 7}>::assemble_block_{i}(std::vector<double> const&, int)"
                for i in range(n_functions)]
    n_frames = max(10, args.sites // 2)
    frames = [[rng.choice(functions), rng.randrange(1, 101), rng.randint(1, 5000), 0, rng.randint(0, 1 << 24),
               False] for _ in range(n_frames)]
    shared = int(args.sites * 0.9)
    stacks = [[rng.randrange(n_frames) for _ in range(rng.randint(4, 16))] for _ in range(args.sites * 2)]
    static = ('"strings": ' + json.dumps(strings) +
              ', "modules": [{"path": "/opt/app/bin/solver", "build_id": "abab", "base": 4194304, '
              '"size": 67108864, "unloaded": false}]'
              ', "frames": {"columns": ["function", "file", "line", "module", "offset", "inlined"], "rows": ' +
              json.dumps(frames) + '}, "stacks": ' + json.dumps(stacks) + ', "symbolised": true')
    scope_sites = [[rng.choice(functions), rng.randrange(1, 101), rng.randint(1, 5000)] for _ in range(50)]
    parents = [-1] + [rng.randrange(max(0, i - 10), i) for i in range(1, args.nodes)]
    site_of = [rng.randrange(len(scope_sites)) for _ in range(args.nodes)]
    for rank in range(args.ranks):
        pid = 10_000 + rank
        own = [shared + (rank * 97 + i) % (len(stacks) - shared) for i in range(args.sites - shared)]
        rows = []
        peak = 0
        for s in list(range(shared)) + own:
            allocations = rng.randint(1, 10_000)
            size = rng.randint(8, 4096)
            p = size * rng.randint(0, 20)
            peak += p
            rows.append(f"[{s},{allocations},{allocations * size},{p},{rng.randint(0, 3)},0,{allocations // 2}]")
        nodes = []
        for i in range(args.nodes):
            total = rng.randint(1_000, 1_000_000_000)
            nodes.append(f"[{parents[i]},{site_of[i]},{rng.randint(1, 1000)},1,{total},{total // 2}]")
        meta = {"program": "solver", "argv": ["solver"], "pid": pid, "ppid": 9999, "host": f"node{rank // 64}",
                "start_time": "2026-11-24T21:58:06.123456Z", "wall_seconds": 100.0, "user_seconds": 95.0,
                "system_seconds": 1.0, "max_rss_bytes": 1 << 30, "exit": {"status": "exited", "code": 0},
                "libprof_version": "0.1.0", "writer": "preload",
                "clock": {"source": "clock_gettime", "clock": "CLOCK_MONOTONIC"}, "rank": rank,
                "size": args.ranks, "threads_seen": 1, "cores_online": 64}
        text = ('{"format": "libprof-snapshot", "version": 1, "meta": ' + json.dumps(meta) + ", " + static +
                ', "scopes": {"sites": {"columns": ["name", "file", "line"], "rows": ' + json.dumps(scope_sites) +
                '}, "threads": [{"id": 0, "name": "main", "nodes": {"columns": ["parent", "site", "calls", '
                '"primitive_calls", "total_ns", "self_ns"], "rows": [' + ",".join(nodes) + ']}}]}'
                ', "memory": {"summary": {"allocations": 1, "allocated_bytes": 1, "peak_bytes": ' + str(peak) +
                ', "leaked_allocations": 0, "leaked_bytes": 0}, "sites": {"columns": ["stack", "allocations", '
                '"allocated_bytes", "peak_bytes", "leaked_allocations", "leaked_bytes", '
                '"temporary_allocations"], "rows": [' + ",".join(rows) + "]}}"
                ', "mpi": {"library": "Open MPI v4.1.4", "rank": ' + str(rank) + ', "size": ' + str(args.ranks) +
                ', "operations": [{"name": "MPI_Allreduce", "calls": 100, "bytes_sent": 800, "bytes_received": 800,'
                ' "total_ns": ' + str(rng.randint(1, 10**10)) + "}]}}")
        with open(os.path.join(args.dir, f"solver.r{rank:04}.{pid}.prof.json"), "w") as out:
            out.write(text)


if __name__ == "__main__":
    main()
