"""Soak: download a draft plan's PDF (rendered afresh each time) again and again from one
gunicorn worker, and print the worker's memory as it goes.

    DATABASE_URL=postgres://.../myoplan_load python bench/pdf_soak.py [--seconds 600]

Uses the clinic `manage.py seed_volume` made (History50's plan is a draft). Prints the
worker's resident memory (RSS) every --every seconds and, at the end, the growth after the
first minute's warm-up, per render. Before WeasyPrint's FontConfiguration was reused, each
render left about 0.2 MiB behind; flat memory is the pass. It prints figures; it asserts nothing.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadtest  # noqa: E402


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8141)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--every", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=60)
    args = parser.parse_args()
    import django

    django.setup()
    from demo.volume import CLINIC, DRAFT_PLAN_SESSIONS, PASSWORD, history_name, username
    from plans.models import Plan

    draft = Plan.objects.get(
        patient__clinic__name=CLINIC,
        patient__last_name=history_name(DRAFT_PLAN_SESSIONS),
        status=Plan.Status.DRAFT,
    )
    env = dict(
        os.environ,
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "load-test-only-" + "x" * 40,
        SECURE_COOKIES="0",
        STATIC_MANIFEST="1",
        LOG_LEVEL="WARNING",
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--pythonpath",
            "bench",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            "loadtest_wsgi:application",
        ],
        cwd=loadtest.BASE,
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
        _, opener = loadtest.sign_in(base, username(1), PASSWORD)
        worker = loadtest.workers(server.pid)[0]
        url = f"{base}/plans/{draft.pk}/pdf/"
        started = time.monotonic()
        renders, next_report, baseline = 0, 0.0, None
        print("seconds  renders  worker RSS (MiB)")
        while (elapsed := time.monotonic() - started) < args.seconds:
            body = opener.open(url).read()
            assert body.startswith(b"%PDF"), body[:100]
            renders += 1
            if baseline is None and elapsed >= args.warmup:
                baseline = (renders, rss_mib(worker))
            if elapsed >= next_report:
                print(f"{elapsed:7.0f}  {renders:7d}  {rss_mib(worker):8.1f}", flush=True)
                next_report += args.every
        end = rss_mib(worker)
        print(f"{time.monotonic() - started:7.0f}  {renders:7d}  {end:8.1f}")
        if baseline is not None and renders > baseline[0]:
            grown = end - baseline[1]
            per = grown / (renders - baseline[0]) * 1024
            print(
                f"\nAfter the {args.warmup} s warm-up: {baseline[1]:.1f} → {end:.1f} MiB over "
                f"{renders - baseline[0]} renders ({grown:+.1f} MiB, {per:+.1f} KiB a render)"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
