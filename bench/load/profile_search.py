"""Profile the search page and API in-process (pyinstrument + query count), before tuning.

    DATABASE_URL=postgres://…/db .venv/bin/python bench/load/profile_search.py [--html DIR]

Runs a fixed set of searches through Django's test client against the national data set and
prints, per endpoint: mean time per request, queries per request, and pyinstrument's tree.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench" / "load"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pyinstrument import Profiler  # noqa: E402
from searches import search_paths  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--html", type=Path)
    args = parser.parse_args()
    paths = search_paths(args.n, seed=11)
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    for name, prefix in [("api", "/api/v1/stagemarkt/vacatures/"), ("page", "/stagemarkt/")]:
        urls = [prefix + "?" + p for p in paths]
        for url in urls[:20]:  # warm up
            client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(urls[0])
        queries = len(ctx.captured_queries)
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        profiler.start()
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        profiler.stop()
        elapsed = time.perf_counter() - started
        print(f"== {name}: {elapsed / len(urls) * 1000:.1f} ms/request, {queries} queries/request")
        print(profiler.output_text(unicode=True, color=False, show_all=False)[:6000])
        if args.html:
            args.html.mkdir(parents=True, exist_ok=True)
            (args.html / f"{name}.html").write_text(profiler.output_html())
        for q in ctx.captured_queries:
            print("  SQL", q["time"], q["sql"][:160])
        reset_queries()


if __name__ == "__main__":
    main()
