#!/usr/bin/env python3
"""One run of a command for bench/real_workloads.sh: writes "WALL CPU" in seconds to OUT_FILE, CPU being user +
system time of the command and of every descendant that was waited for (as /usr/bin/time counts it), to the
microsecond. /usr/bin/time prints hundredths: a 40 ms program measured so moves its ratio by 25 % per tick.

    measure.py OUT_FILE COMMAND [ARG...]      (exits with the command's status)
"""
import resource
import subprocess
import sys
import time


def main() -> int:
    out_file, command = sys.argv[1], sys.argv[2:]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    status = subprocess.call(command)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(out_file, "w", encoding="ascii") as out:
        out.write(f"{wall:.6f} {cpu:.6f}\n")
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main())
