#!/usr/bin/python3
"""Validate libprof snapshots against docs/snapshot.schema.json.

Usage: validate_snapshot.py FILE_OR_DIR...   (a directory means all its *.prof.json)
Exits 0 when every file is valid, 1 otherwise (one line per problem), 2 when no snapshot was given/found.
Also checks what a schema cannot: table rows have one value per column, indices stay inside their tables.
"""
import json
import pathlib
import sys

import jsonschema

SCHEMA = pathlib.Path(__file__).resolve().parent.parent / "docs" / "snapshot.schema.json"


def tables(doc):
    if "frames" in doc:
        yield "frames", doc["frames"]
    scopes = doc.get("scopes", {})
    if "sites" in scopes:
        yield "scopes.sites", scopes["sites"]
    for i, thread in enumerate(scopes.get("threads", [])):
        yield f"scopes.threads[{i}].nodes", thread["nodes"]
    if "sites" in doc.get("memory", {}):
        yield "memory.sites", doc["memory"]["sites"]


def check_references(doc):
    problems = []
    for name, table in tables(doc):
        width = len(table["columns"])
        for r, row in enumerate(table["rows"]):
            if len(row) != width:
                problems.append(f"{name}.rows[{r}] has {len(row)} values for {width} columns")
                break
    n_strings = len(doc.get("strings", []))
    n_frames = len(doc.get("frames", {}).get("rows", []))
    for name, table in tables(doc):
        cols = table["columns"]
        for col in ("function", "file", "name"):
            if col in cols:
                k = cols.index(col)
                # 0 means "unknown" and needs no strings table (raw frames of a bare LD_PRELOAD run).
                bad = [row[k] for row in table["rows"] if row[k] != 0 and not (0 < row[k] < n_strings)]
                if bad:
                    problems.append(f"{name}.{col} refers to string {bad[0]}, table has {n_strings}")
    for s, stack in enumerate(doc.get("stacks", [])):
        if any(f >= n_frames for f in stack):
            problems.append(f"stacks[{s}] refers to a frame beyond the {n_frames} frames")
            break
    return problems


def main(args):
    files = []
    for a in args:
        p = pathlib.Path(a)
        files.extend(sorted(p.glob("*.prof.json")) if p.is_dir() else [p])
    if not files:
        print("validate_snapshot: no snapshot given or found", file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    failed = False
    for f in files:
        try:
            doc = json.loads(f.read_text())
        except (OSError, ValueError) as e:
            print(f"{f}: not readable JSON: {e}", file=sys.stderr)
            failed = True
            continue
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
        if not problems:
            problems = check_references(doc)
        for p in problems:
            print(f"{f}: {p}", file=sys.stderr)
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
