# An interpreter workload: Debian's python3 with PYTHONMALLOC=malloc (every object through malloc) builds
# 30 000 JSON records, dumps them and parses them back (about 4 M allocations, 70 MB live at the peak).
import json
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
records = [
    {
        "id": i,
        "name": "record-%d" % i,
        "tags": ["t%d" % (i % 17), "u%d" % (i % 31), "v%d" % (i % 7)],
        "values": [i * 0.5, i * 1.5, float(i % 100)],
        "nested": {"a": i, "b": str(i), "c": [i, i + 1, i + 2]},
    }
    for i in range(count)
]
text = json.dumps(records)
parsed = json.loads(text)
again = json.loads(json.dumps(parsed))
print(len(text), len(again), sum(r["id"] for r in again))
