"""The database fails under a served site: what do readers get?

    .tools/bin/uv run python bench/db_fault.py [--outage 10] [--mode stop|freeze] [--clients 4]

Makes a throwaway PostgreSQL cluster (under .data/, its own port: the checkout's database is
never touched), migrates it and loads the demo content, then serves the site with gunicorn
(DEBUG off, collected static files, the project's gunicorn.conf.py) on a free loopback port.
`--clients` threads request a mix of pages (home, sections, a post, tags, search, a feed,
/healthz, /livez) for a few seconds; then the database is stopped (`pg_ctl stop -m fast`,
`--mode stop`) or frozen (SIGSTOP to every PostgreSQL process: accepting connections but
never answering, `--mode freeze`) for `--outage` seconds, and started (or resumed) again;
the load goes on meanwhile and after. Nothing else is restarted.

Prints, before / during / after the outage: responses by status, the longest response time
(and of which page), and the seconds from the database's return to the first request from
which every page answered 200 again. Goal: no 500 at all, nothing slower than the database
timeouts (DB_CONNECT_TIMEOUT, DB_STATEMENT_TIMEOUT), recovery with no restart.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_project.localdb import LocalDatabase, free_port  # noqa: E402

PAGES = [
    "/", "/posts/", "/notes/", "/learnings/", "/bookmarks/", "/tags/", "/search/?q=python",
    "/feeds/all.atom", "/archive/2026/", "/healthz", "/livez",
]  # fmt: skip
CLIENT_TIMEOUT = 60


@dataclass
class Hit:
    start: float
    seconds: float
    path: str
    status: int  # 0: no HTTP answer at all (connection refused, reset, client timeout)


def fetch(base: str, path: str) -> Hit:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=CLIENT_TIMEOUT) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:
        status = 0
    return Hit(start, time.monotonic() - start, path, status)


def load(base: str, pages: list[str], stop: threading.Event, hits: list[Hit], n: int) -> None:
    i = n
    while not stop.is_set():
        hits.append(fetch(base, pages[i % len(pages)]))
        i += 1
        time.sleep(0.05)


def processes_of(cluster: Path) -> list[int]:
    """The postmaster and its children (to freeze them all, as a paused machine would be)."""
    postmaster = int((cluster / "postmaster.pid").read_text().splitlines()[0])
    pids = [postmaster]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                pids.append(int(stat.parent.name))
    return pids


def summary(label: str, hits: list[Hit]) -> None:
    if not hits:
        print(f"{label:>8}: no requests")
        return
    statuses = collections.Counter(h.status for h in hits)
    slowest = max(hits, key=lambda h: h.seconds)
    by_status = ", ".join(f"{s or 'no answer'}: {n}" for s, n in sorted(statuses.items()))
    print(
        f"{label:>8}: {len(hits):4d} responses ({by_status}); longest {slowest.seconds:.2f} s "
        f"({slowest.path}, {slowest.status})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=10)
    parser.add_argument("--mode", choices=["stop", "freeze"], default="stop")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--before", type=float, default=5)
    parser.add_argument("--after", type=float, default=15)
    args = parser.parse_args()

    (ROOT / ".data").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="fault-", dir=ROOT / ".data"))
    work.chmod(0o755)
    database = LocalDatabase(data_dir=work, port=free_port())
    gunicorn = None
    try:
        print(f"Making a throwaway cluster in {work} …", flush=True)
        database.ensure_running()
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database.database_url(),
            "DEBUG": "0",
            "MEDIA_ROOT": str(work / "media"),
            "STATIC_ROOT": str(work / "static"),
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(args.workers),
            "SITE_URL": f"http://127.0.0.1:{port}",
        }
        manage = [sys.executable, "manage.py"]
        for command in (["migrate", "-v0"], ["seed_demo"], ["collectstatic", "--no-input", "-v0"]):
            subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
        log = (work / "gunicorn.log").open("w")
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "site_project.wsgi"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            if fetch(base, "/livez").status == 200:
                break
            time.sleep(0.2)
        post = fetch(base, "/posts/")  # any published post, for a detail page
        pages = [*PAGES, "/posts/"]
        with contextlib.suppress(Exception):
            html = urllib.request.urlopen(base + "/posts/", timeout=10).read().decode()
            marker = html.split('href="/posts/', 2)[1].split('"', 1)[0]
            pages[-1] = f"/posts/{marker}"
        print(f"Serving on {base} with {args.workers} gunicorn workers ({post.status} on /posts/); "
              f"{args.clients} clients over {len(pages)} pages.", flush=True)  # fmt: skip

        hits: list[Hit] = []
        stop = threading.Event()
        clients = [
            threading.Thread(target=load, args=(base, pages, stop, hits, n))
            for n in range(args.clients)
        ]
        for client in clients:
            client.start()
        time.sleep(args.before)

        down = time.monotonic()
        if args.mode == "stop":
            database.stop()
        else:
            frozen = processes_of(database.cluster_dir)
            for pid in frozen:
                os.kill(pid, signal.SIGSTOP)
        state = "stopped" if args.mode == "stop" else "frozen (SIGSTOP)"
        print(f"Database {state} at t=0 for {args.outage:.0f} s …", flush=True)
        time.sleep(args.outage)
        if args.mode == "stop":
            database.ensure_running()
        else:
            for pid in frozen:
                os.kill(pid, signal.SIGCONT)
        up = time.monotonic()
        print(f"Database back at t={up - down:.1f} s.", flush=True)
        time.sleep(args.after)
        stop.set()
        for client in clients:
            client.join(CLIENT_TIMEOUT + 5)
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(30)
        if args.mode == "freeze":
            with contextlib.suppress(Exception):
                for pid in processes_of(database.cluster_dir):
                    os.kill(pid, signal.SIGCONT)
        with contextlib.suppress(Exception):
            database.stop()
        shutil.rmtree(work, ignore_errors=True)

    before = [h for h in hits if h.start < down]
    during = [h for h in hits if down <= h.start < up]
    after = [h for h in hits if h.start >= up]
    print()
    summary("before", before)
    summary("during", during)
    summary("after", after)
    failing = [h for h in after if h.status != 200]
    recovered = max((h.start + h.seconds for h in failing), default=up) - up
    served = [h for h in during if h.status == 200]
    database_pages = [h for h in after if h.status == 200 and h.path != "/livez"]
    first = min((h.start + h.seconds for h in database_pages), default=up) - up
    print(
        f"\n500 responses: {sum(h.status == 500 for h in hits)}; "
        f"no answer at all: {sum(h.status == 0 for h in hits)}; "
        f"longest response overall: {max(h.seconds for h in hits):.2f} s; "
        f"/livez longest during the outage: "
        f"{max((h.seconds for h in during if h.path == '/livez'), default=0):.2f} s"
    )
    print(
        f"Recovery, with nothing restarted: the first page needing the database answered 200 "
        f"{first:.2f} s after it was back, and every request from {recovered:.2f} s on "
        f"({len(failing)} non-200 after it). During the outage {len(served)} requests were "
        "still served 200 (/livez, and requests already under way)."
    )
    return 0 if not any(h.status in (0, 500) for h in hits) else 1


if __name__ == "__main__":
    sys.exit(main())
