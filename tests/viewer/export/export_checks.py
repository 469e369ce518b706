#!/usr/bin/env python3
"""What the real clients of `prof export`'s formats see, printed as plain lines for export_test.cpp.

  pstats FILE             Python's pstats loads the file: one line per function and per caller edge
  chrome FILE             json.load, every complete event nested in its thread's parent, one line per event
  speedscope SCHEMA FILE  the file validated against speedscope's schema (SCHEMA "-": not available), the
                          events balanced and in order, each frame's total time / each stack's weight
  mpi_rank SRC DST RANK [HOST PID]   a copy of the snapshot SRC as MPI rank RANK with an mpi section (a
                          planted input), on HOST with pid PID when given
  odd_name SRC DST        a copy of SRC whose first scope is named "main", a byte 0xFF (\\udcff) and "é"
Exits non-zero with the reason on stderr when a check fails.
"""
import json
import pstats
import sys


def fail(why):
    print(why, file=sys.stderr)
    sys.exit(1)


def check_pstats(path):
    stats = pstats.Stats(path).stats
    for (file, line, name), (cc, nc, tt, ct, callers) in sorted(stats.items(), key=lambda kv: kv[0][2]):
        print(f"function {name},{file},{line},{nc},{cc},{tt:.9f},{ct:.9f}")
        for (cfile, cline, cname), (cnc, ccc, ctt, cct) in sorted(callers.items()):
            print(f"caller {cname} -> {name},{cnc},{ccc},{ctt:.9f},{cct:.9f}")


def check_chrome(path):
    with open(path) as f:
        doc = json.load(f)
    events = doc["traceEvents"]
    open_spans = {}  # (pid, tid) -> stack of (start, end)
    for e in events:
        ph = e["ph"]
        if ph == "X":
            key = (e["pid"], e["tid"])
            start, end = e["ts"], e["ts"] + e["dur"]
            stack = open_spans.setdefault(key, [])
            while stack and stack[-1][1] <= start and not (stack[-1][0] == start and stack[-1][1] >= end):
                stack.pop()
            if stack and not (stack[-1][0] <= start and end <= stack[-1][1] + 1e-6):
                fail(f"event {e} is not inside its parent {stack[-1]}")
            stack.append((start, end))
            print(f"X {e['pid']} {e['tid']} depth={len(stack) - 1} {e['name']} ts={start:g} dur={e['dur']:g} "
                  f"calls={e['args']['calls']}")
        elif ph == "M":
            print(f"M {e['pid']} {e.get('tid', 0)} {e['name']} {json.dumps(e['args'], sort_keys=True)}")
        elif ph == "C":
            print(f"C {e['pid']} {e['name']} ts={e['ts']:g} {json.dumps(e['args'], sort_keys=True)}")
        elif ph == "i":
            print(f"i {e['pid']} {e['name']} {json.dumps(e['args'], sort_keys=True)}")
        else:
            fail(f"unexpected phase {ph}")


def check_speedscope(schema_path, path):
    with open(path) as f:
        doc = json.load(f)
    if schema_path != "-":
        import jsonschema
        with open(schema_path) as f:
            jsonschema.validate(doc, json.load(f))
        print("schema valid")
    frames = doc["shared"]["frames"]
    for profile in doc["profiles"]:
        if profile["type"] == "evented":
            stack, last, totals = [], profile["startValue"], {}
            for e in profile["events"]:
                if e["at"] < last:
                    fail(f"{profile['name']}: event {e} runs backwards")
                last = e["at"]
                if e["type"] == "O":
                    stack.append((e["frame"], e["at"]))
                else:
                    frame, at = stack.pop()
                    if frame != e["frame"]:
                        fail(f"{profile['name']}: close of {e['frame']} while {frame} is open")
                    name = frames[frame]["name"]
                    totals[name] = totals.get(name, 0) + e["at"] - at
            if stack or last > profile["endValue"]:
                fail(f"{profile['name']}: unbalanced or past endValue")
            for name, total in sorted(totals.items()):
                print(f"evented {profile['name']}: {name} {total}")
        else:
            if len(profile["samples"]) != len(profile["weights"]):
                fail("samples and weights differ in length")
            for sample, weight in zip(profile["samples"], profile["weights"]):
                print(f"sampled {profile['name']}: {';'.join(frames[i]['name'] for i in sample)} {weight}")
            print(f"sampled {profile['name']}: total {sum(profile['weights'])} end {profile['endValue']}")


def make_mpi_rank(source, destination, rank, host=None, pid=None):
    with open(source) as f:
        doc = json.load(f)
    doc["meta"].update({"rank": rank, "size": 4, "rank_source": "MPI_Init"})
    if host is not None:
        doc["meta"].update({"host": host, "pid": pid})
    doc["mpi"] = {"library": "Open MPI v4.1.4", "rank": rank, "size": 4,
                  "operations": [{"name": "MPI_Allreduce", "calls": 10 + rank, "bytes_sent": 800,
                                  "bytes_received": 800, "total_ns": 2500000 * (rank + 1)}]}
    with open(destination, "w") as f:
        json.dump(doc, f)


def make_odd_name(source, destination):
    with open(source) as f:
        doc = json.load(f)
    doc["strings"][doc["strings"].index("main")] = "main\udcff\u00e9"
    with open(destination, "w") as f:
        json.dump(doc, f)


if __name__ == "__main__":
    what, args = sys.argv[1], sys.argv[2:]
    if what == "pstats":
        check_pstats(*args)
    elif what == "chrome":
        check_chrome(*args)
    elif what == "speedscope":
        check_speedscope(*args)
    elif what == "mpi_rank":
        make_mpi_rank(args[0], args[1], int(args[2]), *(args[3:4] + [int(p) for p in args[4:5]]))
    elif what == "odd_name":
        make_odd_name(*args)
    else:
        fail(f"unknown check {what}")
