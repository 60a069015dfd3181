"""CPU per search request, one request at a time, against a running gunicorn (profile first).

    .venv/bin/python bench/load/cpu_per_request.py PORT GUNICORN_MASTER_PID PATH [N]

PATH is `/api/v1/stagemarkt/vacatures/` or `/stagemarkt/`. Sends 50 warm-up searches and then N
(default 400) searches from searches.py, one after another, each on a new connection (as the sync
workers answer), and prints the CPU seconds per request of the gunicorn master and its workers
and of every `postgres` and `redis` process (from /proc), with the client's own CPU and the wall
time. Start gunicorn with one worker and the environment bench/load/run.py uses.
"""

from __future__ import annotations

import http.client
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from searches import search_paths

TICK = os.sysconf("SC_CLK_TCK")


def _stat(path: Path) -> tuple[str, list[str]] | None:
    try:
        raw = path.read_text()
    except OSError:
        return None
    name = raw.split("(", 1)[1].rsplit(")", 1)[0]
    return name, raw.rsplit(")", 1)[1].split()


def server_cpu(root: int) -> float:
    total = 0.0
    for path in Path("/proc").glob("[0-9]*/stat"):
        found = _stat(path)
        if found and (int(path.parent.name) == root or int(found[1][1]) == root):
            total += (int(found[1][11]) + int(found[1][12])) / TICK
    return total


def backing_cpu() -> float:
    total = 0.0
    for path in Path("/proc").glob("[0-9]*/stat"):
        found = _stat(path)
        if found and found[0].startswith(("postgres", "redis")):
            total += (int(found[1][11]) + int(found[1][12])) / TICK
    return total


def main() -> None:
    port, root, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 400
    paths = search_paths(500, seed=2026)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}

    def run(k: int) -> None:
        for i in range(k):
            conn = http.client.HTTPConnection("127.0.0.1", port)
            conn.request("GET", f"{prefix}?{paths[i % len(paths)]}", headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                sys.exit(f"{response.status} for {prefix}?{paths[i % len(paths)]}")

    run(50)
    s0, b0, c0, w0 = server_cpu(root), backing_cpu(), time.process_time(), time.perf_counter()
    run(n)
    s1, b1, c1, w1 = server_cpu(root), backing_cpu(), time.process_time(), time.perf_counter()
    print(
        f"{prefix}: web {1000 * (s1 - s0) / n:.1f} ms/request, PostgreSQL + Redis "
        f"{1000 * (b1 - b0) / n:.1f} ms, client {1000 * (c1 - c0) / n:.2f} ms, "
        f"wall {1000 * (w1 - w0) / n:.1f} ms"
    )


if __name__ == "__main__":
    main()
