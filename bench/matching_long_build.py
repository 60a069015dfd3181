#!/usr/bin/env python
"""CPU and wall time of the long-format build alone (labelled rows -> Instance), in process.

The instance and shuffled rows are those of bench/matching.py's long-format cases (500,000
students, skewed + mixed, string ids ``S0000001``/``P000001``). Run from the repository root::

    PYTHONPATH=src .venv/bin/python bench/matching_long_build.py lists   # or: arrow
"""

import gc
import sys
import time

import numpy as np
import pyarrow as pa

from stagekans.matching.engine import Instance
from stagekans.matching.engine.synthetic import MIXED_CAPACITY_BANDS, national_instance

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
kind = sys.argv[1] if len(sys.argv) > 1 else "lists"
if kind == "arrow":
    students, places, capacity_ids = pa.array(students), pa.array(places), pa.array(capacity_ids)
assert inst.company_rank is not None
rank_rows, company_rows = rank[shuffle], inst.company_rank[shuffle]
for _ in range(3):
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    Instance.from_long_format(
        students, places, rank_rows, capacity_ids, inst.capacity, company_rank=company_rows
    )
    print(
        f"{kind}: cpu {time.process_time() - cpu:.2f} s, wall {time.perf_counter() - wall:.2f} s",
        flush=True,
    )
