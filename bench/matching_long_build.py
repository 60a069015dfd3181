#!/usr/bin/env python
"""CPU and wall time of the long-format build alone (labelled rows -> Instance), in process.

The instance and shuffled rows are those of bench/matching.py's long-format cases (500,000
students, skewed + mixed, string ids ``S0000001``/``P000001``). Run from the repository root::

    PYTHONPATH=src .venv/bin/python bench/matching_long_build.py lists   # or: arrow

``--all-lists`` also hands the rank and company-rank columns over as Python lists of ints (as a
database cursor returns them) instead of numpy arrays; ``--runs N`` builds N times in the process
(the first run includes importing ``pyarrow.compute``). The last line is JSON: every run's CPU
and wall seconds, the peak RSS of the process (VmHWM) and its RSS before the first build (the
input), and the instance's fingerprint, so two engine versions can be shown to build the same
instance.
"""

import argparse
import gc
import json
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from stagekans.matching.engine import Instance
from stagekans.matching.engine.synthetic import MIXED_CAPACITY_BANDS, national_instance


def status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("kind", nargs="?", choices=["lists", "arrow"], default="lists")
parser.add_argument("--all-lists", action="store_true", help="ranks as Python lists too")
parser.add_argument("--runs", type=int, default=3)
args = parser.parse_args()

n, P = 500_000, 30_000
inst = national_instance(
    n, P, popularity_exponent=0.8, capacity_bands=MIXED_CAPACITY_BANDS, seed=2032
)
ptr = inst.pref_ptr
owner = inst.pair_student()
rank = np.arange(owner.size) - ptr[owner] + 1
shuffle = np.random.default_rng(7).permutation(owner.size)
student_names = np.char.add("S", np.char.zfill(np.arange(n).astype(str), 7))
placement_names = np.char.add("P", np.char.zfill(np.arange(P).astype(str), 6))
students = student_names[owner[shuffle]].tolist()
places = placement_names[inst.pref_placement[shuffle]].tolist()
capacity_ids = placement_names.tolist()
kind = args.kind
if kind == "arrow":
    students, places, capacity_ids = pa.array(students), pa.array(places), pa.array(capacity_ids)
assert inst.company_rank is not None
rank_rows, company_rows = rank[shuffle], inst.company_rank[shuffle]
if args.all_lists:
    rank_rows, company_rows = rank_rows.tolist(), company_rows.tolist()
del owner, shuffle, student_names, placement_names, rank
gc.collect()
rss_before = status("VmRSS")
runs = []
fingerprint = ""
for _ in range(args.runs):
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    built = Instance.from_long_format(
        students, places, rank_rows, capacity_ids, inst.capacity, company_rank=company_rows
    )
    runs.append((time.process_time() - cpu, time.perf_counter() - wall))
    print(f"{kind}: cpu {runs[-1][0]:.2f} s, wall {runs[-1][1]:.2f} s", flush=True)
    fingerprint = built.fingerprint()
    del built
print(
    json.dumps(
        {
            "kind": kind,
            "all_lists": args.all_lists,
            "cpu": [round(c, 3) for c, _ in runs],
            "wall": [round(w, 3) for _, w in runs],
            "rss_before": rss_before,
            "peak_rss": status("VmHWM"),
            "fingerprint": fingerprint,
        }
    )
)
