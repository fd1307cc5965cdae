"""Where each page's CPU goes: the load test's pages, requested through Django's test client
(every middleware, the session, the user) against the seeded database, under cProfile.

    DATABASE_URL=postgres://... python bench/profile_pages.py [--only NAME] [--n 200] [--top 25]

Prints, per page, the CPU and wall time a request takes (one process, no server), its queries,
and the functions with the most CPU time under cProfile. It prints figures; it asserts nothing.
Needs `seed_volume` and `collectstatic` (with STATIC_MANIFEST=1) on that database.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
sys.path.insert(0, str(BASE / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "profile-only-" + "x" * 40)
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("STATIC_MANIFEST", "1")  # as served: run collectstatic first


def print_template_times(client, path: str, n: int) -> None:  # noqa: ANN001
    """CPU per template name, inclusive of what it includes, a request."""
    from collections import Counter

    from django.template import base

    spent: Counter = Counter()
    original = base.Template.render

    def timed(self, context):  # noqa: ANN001, ANN202
        start = time.process_time()
        try:
            return original(self, context)
        finally:
            spent[self.name or "?"] += time.process_time() - start

    base.Template.render = timed
    try:
        for _ in range(n):
            client.get(path)
    finally:
        base.Template.render = original
    for name, seconds in spent.most_common(15):
        print(f"    {seconds / n * 1000:7.2f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="pages whose name contains one of these (comma-separated)")
    parser.add_argument("--n", type=int, default=200, help="requests a page")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    parser.add_argument(
        "--templates", action="store_true", help="CPU per template (inclusive of includes)"
    )
    parser.add_argument("--no-profile", action="store_true", help="time only")
    args = parser.parse_args()
    from loadtest import pages

    measured = pages()  # sets Django up
    import loadtest_wsgi  # noqa: F401  (adds bench/floor/)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from demo.volume import username
    from patients.models import User

    client = Client(HTTP_ACCEPT_ENCODING="gzip", HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username(1)))
    wanted = args.only.split(",") if args.only else [""]
    for name, path in measured:
        if not any(w in name for w in wanted):
            continue
        for _ in range(5):  # warm
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.n):
            client.get(path)
        wall = (time.perf_counter() - start) / args.n * 1000
        cpu = (time.process_time() - cpu) / args.n * 1000
        print(f"\n## {name}: {cpu:.2f} ms CPU, {wall:.2f} ms wall a request (no profiler)")
        if args.templates:
            print_template_times(client, path, args.n)
        if args.no_profile:
            continue
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(f"{len(queries)} queries", flush=True)
        if args.sql:
            for q in queries.captured_queries:
                print("   ", q["sql"][:300])
        # CPU time of this process (what a worker spends), not wall time waiting on the database
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(args.n):
            client.get(path)
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        # Python function calls a request: steadier than any timing on a shared machine
        print(f"{stats.total_calls / args.n:,.0f} function calls a request")
        stats.sort_stats(args.sort).print_stats(args.top)
        text = out.getvalue()
        print(text[text.find("   ncalls") :])


if __name__ == "__main__":
    main()
