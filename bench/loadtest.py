"""Load test: serve the seeded clinic with gunicorn and drive each page with wrk.

    DATABASE_URL=postgres://... python bench/loadtest.py [--seconds 10] [--port 8140]

Needs `manage.py seed_volume` run on that database first (`make loadtest` does it all). Starts
gunicorn (2 sync workers, DEBUG off) on --port, signs in as a seeded therapist over HTTP, then
for each page runs wrk (2 threads, 8 connections, `Connection: close`, the session cookie) and
prints a Markdown table: requests a second as a ratio to a bare signed-in view (the floor,
bench/loadtest_wsgi.py) measured just before and just after the page, and as a ratio to the
fastest floor of the whole run (a shared machine's speed drifts within a run), p95 latency, the
workers' CPU time per request (from /proc), the CPU of the PostgreSQL processes serving them
(when the server is local), and the page's size as HTML and as sent (gzip, when the server
compresses it).
It prints figures; it asserts nothing. Run it on an otherwise idle machine.
"""

import argparse
import gzip
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
TICKS = os.sysconf("SC_CLK_TCK")
REPORT = Path(__file__).with_name("wrk_report.lua")


@dataclass
class Result:
    name: str
    rps: float
    p95_ms: float
    cpu_ms: float
    db_cpu_ms: float
    html: int
    sent: int
    errors: int


def prepare(database_url: str) -> None:
    """Create the database if it is missing, migrate it, load the catalogue and seed the
    clinic (each step does nothing when done already)."""
    import psycopg

    url = urllib.parse.urlsplit(database_url)
    name = url.path.lstrip("/")
    admin = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    env = dict(os.environ, DEBUG="1")
    for command in (["migrate", "--no-input", "-v0"], ["load_catalogue"], ["seed_volume"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=BASE, env=env, check=True)


def pages() -> list[tuple[str, str]]:
    """(name, path) for every page measured, found in the seeded database."""
    import django

    django.setup()
    from demo.volume import CLINIC, history_name
    from patients.models import Patient
    from plans.models import Plan
    from triggerpoints.bodymap import region_index

    def patient(sessions: int) -> Patient:
        return Patient.objects.get(clinic__name=CLINIC, last_name=history_name(sessions))

    p2, p10, p50, p300 = (patient(n) for n in (2, 10, 50, 300))
    assessment = p10.assessments.get()
    issued = Plan.objects.filter(patient=p10, status=Plan.Status.ISSUED).get()
    draft = Plan.objects.filter(patient=p50, status=Plan.Status.DRAFT).get()
    regions = [r.code for r in region_index()][::9][:8]
    finder = "/catalogue/pain-finder/?" + urllib.parse.urlencode([("regions", r) for r in regions])
    return [
        ("floor (bare signed-in view)", "/bench/floor/"),
        ("patient list, page 1", "/patients/"),
        ("patient search", "/patients/?q=murph"),
        ("patient page, 2 sessions", p2.get_absolute_url()),
        ("patient page, 50 sessions", p50.get_absolute_url()),
        ("patient page, 300 sessions", p300.get_absolute_url()),
        ("assessment page with ranking", assessment.get_absolute_url()),
        ("progress, 2 visits", f"/patients/{p2.pk}/progress/"),
        ("progress, 50 visits", f"/patients/{p50.pk}/progress/"),
        ("progress, 300 visits", f"/patients/{p300.pk}/progress/"),
        ("plan page (issued)", issued.get_absolute_url()),
        ("pain finder, 8 regions", finder),
        ("muscle catalogue", "/catalogue/"),
        ("plan PDF (issued)", f"/plans/{issued.pk}/pdf/"),
        ("plan PDF (draft)", f"/plans/{draft.pk}/pdf/"),
    ]


def sign_in(base: str, username: str, password: str) -> tuple[str, urllib.request.OpenerDirector]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(base + "/accounts/login/", data=data)
    request.add_header("Referer", base + "/accounts/login/")
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit("Sign-in failed: run manage.py seed_volume on this database first.")
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), opener


def fetch(opener: urllib.request.OpenerDirector, url: str) -> tuple[int, int]:
    """The page's size as HTML, and as sent to a browser that accepts gzip."""
    plain = opener.open(url)
    html = len(plain.read())
    if plain.status != 200:
        raise SystemExit(f"{url} answered {plain.status}")
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    response = opener.open(request)
    body = response.read()
    if response.headers.get("Content-Encoding") == "gzip":
        assert len(gzip.decompress(body)) > 0
    return html, len(body)


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def database_backends() -> list[int]:
    """The PostgreSQL server processes serving this database (the workers keep their
    connections, CONN_MAX_AGE), when the server runs on this machine; [] otherwise."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    return [pid for pid in pids if Path(f"/proc/{pid}/stat").exists()]


def run_wrk(url: str, cookie: str, seconds: int, threads: int, connections: int) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-H",
        "Connection: close",
        "-H",
        "Accept-Encoding: gzip",
        "-H",
        f"Cookie: {cookie}",
        "-s",
        str(REPORT),
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("LOADTEST "))
    return {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}


def measure(  # noqa: PLR0913
    args: argparse.Namespace,
    master: int,
    cookie: str,
    opener,  # noqa: ANN001
    name: str,
    path: str,
    seconds: int | None = None,
) -> Result:
    base = f"http://127.0.0.1:{args.port}"
    html, sent = fetch(opener, base + path)
    run_wrk(base + path, cookie, 1, args.threads, args.connections)  # warm up
    pids = workers(master)
    backends = database_backends()
    before, db_before = cpu_ticks(pids), cpu_ticks(backends)
    figures = run_wrk(base + path, cookie, seconds or args.seconds, args.threads, args.connections)
    used = cpu_ticks(pids) - before
    try:
        db_used = cpu_ticks(backends) - db_before
    except FileNotFoundError:  # a connection closed during the run
        db_used = 0
    requests = max(figures["requests"], 1)
    return Result(
        name,
        rps=requests / (figures["duration_us"] / 1e6),
        p95_ms=figures["p95_us"] / 1000,
        cpu_ms=used / TICKS * 1000 / requests,
        db_cpu_ms=db_used / TICKS * 1000 / requests,
        html=html,
        sent=sent,
        errors=figures["status_errors"] + figures["socket_errors"],
    )


def size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} B"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--floor-seconds", type=int, default=5, help="The floor's run before and after each page."
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--only", help="Measure only pages whose name contains one of these (comma-separated)."
    )
    parser.add_argument(
        "--prepare", action="store_true", help="Create, migrate and seed the database first."
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the seeded PostgreSQL database.")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    if args.prepare:
        prepare(os.environ["DATABASE_URL"])
    measured = pages()  # sets Django up
    from demo.volume import PASSWORD, username

    env = dict(
        os.environ,
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "load-test-only-" + "x" * 40,
        SECURE_COOKIES="0",
        STATIC_MANIFEST="1",
        LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--pythonpath",
            "bench",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            "loadtest_wsgi:application",
        ],
        cwd=BASE,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        cookie, opener = sign_in(base, username(1), PASSWORD)
        floor_name, floor_path = measured[0]

        def floor() -> Result:
            return measure(
                args, server.pid, cookie, opener, floor_name, floor_path, args.floor_seconds
            )

        # The floor before every page and once more at the end: each page is compared with
        # the floors just around it, and with the fastest floor of the run.
        floors, results = [floor()], []
        for name, path in measured[1:]:
            wanted = args.only.split(",") if args.only else [""]
            if not any(w in name for w in wanted):
                continue
            results.append(measure(args, server.pid, cookie, opener, name, path))
            floors.append(floor())
            print(
                f"  {name}: {results[-1].rps:.1f} req/s (floor {floors[-2].rps:.0f} → "
                f"{floors[-1].rps:.0f})",
                file=sys.stderr,
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    fastest = max(f.rps for f in floors)
    print(
        f"\ngunicorn {args.workers} sync workers, wrk {args.threads} threads × "
        f"{args.connections} connections, {args.seconds} s a page and {args.floor_seconds} s of "
        f"the floor before and after it, Connection: close. The floor ran at "
        f"{min(f.rps for f in floors):.0f}–{fastest:.0f} req/s during the run "
        f"({floors[0].cpu_ms:.1f} ms of worker CPU a request at the start).\n"
    )
    print(
        "| page | req/s | floor around it | ratio to it | ratio to the fastest floor | p95 "
        "| worker CPU / request | database CPU / request | HTML | sent |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r, before, after in zip(results, floors[:-1], floors[1:], strict=True):
        around = (before.rps + after.rps) / 2
        errors = f" ({r.errors} errors)" if r.errors else ""
        print(
            f"| {r.name}{errors} | {r.rps:.0f} | {around:.0f} | {r.rps / around:.3f} | "
            f"{r.rps / fastest:.3f} | {r.p95_ms:.0f} ms | {r.cpu_ms:.1f} ms | "
            f"{r.db_cpu_ms:.1f} ms | {size(r.html)} | {size(r.sent)} |"
        )


if __name__ == "__main__":
    main()
