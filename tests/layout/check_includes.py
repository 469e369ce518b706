#!/usr/bin/env python3
"""Fails on an include that runs backwards through the stages of viewer/ and the rooms of preload/.

Each folder may include the folders listed for it (and itself); docs/ARCHITECTURE.md explains the order.
Includes are written from the folder's root ("read/json_access.hpp", "memory/sites.hpp"), so the first path
component names the folder an include comes from. Run from anywhere: paths are taken relative to this file.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# viewer/: the base files at the top (error, cli_errors, units, terminal) may be included by every stage; the
# *_command.cpp files and main.cpp at the top may include everything.
VIEWER_BASE = {"error.hpp", "cli_errors.hpp", "units.hpp", "terminal.hpp", "output_file.hpp", "large_pages.hpp"}
VIEWER = {
    "model": {"model"},
    "read": {"read", "model"},
    "symbolise": {"symbolise", "read", "model"},
    "merge": {"merge", "symbolise", "read", "model"},
    "report": {"report", "merge", "model"},
    "render": {"render", "report/table.hpp"},
    "timeit_command": {"timeit_command", "render", "model"},
    "run": {"run", "symbolise", "read", "model"},
    "flamegraph": {"flamegraph", "merge", "model"},
    "export": {"export", "merge", "model", "report/table.hpp"},
}
# preload/: the shim's own files at the top are shared by both rooms; process/ may reach the memory tracer
# (dlopen and exec tell it about modules and snapshots), never the other way round.
PRELOAD_TOP = {"recorder.hpp", "real_functions.hpp", "export.hpp", "warning.hpp", "settings.hpp", "entry_word.hpp"}
PRELOAD = {
    "memory": {"memory"},
    "process": {"process", "memory"},
    "sampling": {"sampling", "memory"},
}
# The few includes that run against the order on purpose, each with its reason.
EXCEPTIONS = {
    ("preload/memory/hooks.cpp", "process/on_demand.hpp"): "an allocation is a safe point for a snapshot on demand",
    ("preload/process/fatal_signals.cpp", "sampling/sampler.hpp"): "the program's sigaction on the sampler's signal",
}


def allowed(rules, base, folder, target):
    if "/" not in target:
        return target in base
    for rule in rules[folder]:
        if target == rule or target.startswith(rule + "/"):
            return True
    return False


def check(tree, rules, base, external):
    problems = []
    for path in sorted((ROOT / tree).rglob("*.[ch]pp")):
        rel = path.relative_to(ROOT / tree)
        if len(rel.parts) == 1:
            continue  # the top: commands and the shim itself see everything
        folder = rel.parts[0]
        if folder not in rules:
            problems.append(f"{tree}/{rel}: folder {folder}/ has no rule in {pathlib.Path(__file__).name}")
            continue
        for target in INCLUDE.findall(path.read_text()):
            if target.split("/")[0] in external:
                continue  # libprof's own sources (core/, timeit/), not a folder of this tree
            if not (ROOT / tree / target).exists():
                problems.append(f"{tree}/{rel}: includes \"{target}\", which is not written from {tree}/")
            elif not allowed(rules, base, folder, target) and (f"{tree}/{rel}", target) not in EXCEPTIONS:
                problems.append(f"{tree}/{rel}: {folder}/ may not include \"{target}\"")
    return problems


def main():
    problems = check("viewer", VIEWER, VIEWER_BASE, {"timeit", "core", "prof"})
    problems += check("preload", PRELOAD, PRELOAD_TOP, {"core", "prof"})
    for problem in problems:
        print(problem)
    print(f"{len(problems)} includes run backwards" if problems else "includes run one way")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
