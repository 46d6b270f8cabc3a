"""Profile one page of the bench data set in-process (cProfile), as ``make bench`` serves it.

    DATABASE_URL=postgres://…/sp_bench_full python -m tools.bench.profile /my-requests/
        [--user bench_owner] [-n 50]

Logs the user in with the test client, warms the page once, then renders it ``-n`` times under
cProfile and prints the functions by cumulative and by own time, and the SQL of one request with
its duration. What to look at first when a page of the bench misses its target.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--user", default="bench_owner")
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--lines", type=int, default=35)
    parser.add_argument("--tree", action="store_true", help="a call tree with pyinstrument (pip install)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tools.bench.settings")
    os.environ.setdefault("SECRET_KEY", "profile-only-" + "x" * 50)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=args.user))
    assert client.get(args.path).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(args.path)
    for q in ctx.captured_queries:
        print(f"{float(q['time']) * 1000:7.2f} ms  {q['sql'][:300]}")
    t0 = time.perf_counter()
    for _ in range(args.n):
        client.get(args.path)
    plain = (time.perf_counter() - t0) / args.n
    if args.tree:
        from pyinstrument import Profiler

        tree = Profiler(interval=0.0005)
        with tree:
            for _ in range(args.n):
                client.get(args.path)
        print(tree.output_text(show_all=False, color=False, time="percent_of_total"))
        return 0
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.n):
        client.get(args.path)
    profiler.disable()
    print(f"\n{args.path}: {plain * 1000:.2f} ms per request without the profiler ({args.n} requests)\n")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.lines)
    stats.sort_stats("tottime").print_stats(args.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
