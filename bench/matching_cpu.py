#!/usr/bin/env python
"""CPU time of match() and of the long-format conversion on the issue-16 national instances.

A companion to bench/matching.py for a shared machine: process CPU time excludes the time spent
waiting for a core. Run from the repository root::

    PYTHONPATH=src .venv/bin/python bench/matching_cpu.py
"""

# ruff: noqa: E402, E501, I001
import sys
import time
import statistics
import gc

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "src"))
import numpy as np
from stagekans.matching.engine import match, MatchConfig, TieBreaking, Instance
from stagekans.matching.engine.synthetic import (
    national_instance,
    random_instance,
    MIXED_CAPACITY_BANDS,
)

n = 500_000
P = 30_000
real = dict(popularity_exponent=0.8, capacity_bands=MIXED_CAPACITY_BANDS)
cases = [
    ("uniform n/5", lambda: random_instance(n, n // 5, seed=2026), MatchConfig(seed=1)),
    ("uniform scarce n/10", lambda: random_instance(n, n // 10, seed=2027), MatchConfig(seed=1)),
    (
        "skewed",
        lambda: national_instance(n, P, popularity_exponent=0.8, seed=2030),
        MatchConfig(seed=1),
    ),
    (
        "mixed",
        lambda: national_instance(n, P, capacity_bands=MIXED_CAPACITY_BANDS, seed=2031),
        MatchConfig(seed=1),
    ),
    (
        "skewed+mixed strict",
        lambda: national_instance(n, P, **real, seed=2032),
        MatchConfig(seed=1),
    ),
    (
        "skewed+mixed STB",
        lambda: national_instance(n, P, **real, ranked=False, seed=2032),
        MatchConfig(seed=1),
    ),
    (
        "skewed+mixed MTB",
        lambda: national_instance(n, P, **real, ranked=False, seed=2032),
        MatchConfig(seed=1, tie_breaking=TieBreaking.MULTIPLE),
    ),
]
for name, build, cfg in cases:
    inst = build()
    cpu = []
    wall = []
    for _ in range(3):
        gc.collect()
        c = time.process_time()
        w = time.perf_counter()
        r = match(inst, cfg)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    print(
        f"| {name} | {statistics.median(cpu):.2f} s | {statistics.median(wall):.2f} s | {r.certificate.valid} |",
        flush=True,
    )
    del inst, r
# long format, new engine, lists and arrow
inst = national_instance(n, P, **real, seed=2032)
ptr = inst.pref_ptr
owner = inst.pair_student()
rank = np.arange(owner.size) - ptr[owner] + 1
sh = np.random.default_rng(7).permutation(owner.size)
sn = np.char.add("S", np.char.zfill(np.arange(n).astype(str), 7))
pn = np.char.add("P", np.char.zfill(np.arange(P).astype(str), 6))
students = sn[owner[sh]].tolist()
places = pn[inst.pref_placement[sh]].tolist()
cap_ids = pn.tolist()
import pyarrow as pa

for label, args in (
    ("long lists", (students, places)),
    ("long arrow", (pa.array(students), pa.array(places))),
):
    cpu = []
    for _ in range(3):
        gc.collect()
        c = time.process_time()
        li = Instance.from_long_format(
            args[0], args[1], rank[sh], cap_ids, inst.capacity, company_rank=inst.company_rank[sh]
        )
        b = time.process_time() - c
        r = match(li, MatchConfig(seed=1))
        cpu.append((b, time.process_time() - c))
    print(
        f"| {label} | build {statistics.median(x[0] for x in cpu):.2f} s | total {statistics.median(x[1] for x in cpu):.2f} s | {r.certificate.valid} |",
        flush=True,
    )
