"""What the HTTP benchmarks share (`http_bench.py`, `compare_revisions.py`, `topology_checks.py`):
the generated database and the settings its servers run with, one URL of each page type, and
wrk's report of a load run."""

from __future__ import annotations

import datetime
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from search_bench import bench_database_url, create_database, generate_missing  # noqa: E402

SHARES = {"posts": 0.20, "notes": 0.10, "learnings": 0.20, "bookmarks": 0.50}
WORK = ROOT / ".data" / "bench-http"


def prepare_database(items: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    if any(generate_missing(items, SHARES, seed=11, tags=300).values()):
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)


def page_urls() -> dict[str, str]:
    """One URL of each page type, picked from the data like a reader would reach them."""
    from content.models import Tag
    from learnings.models import Learning
    from posts.models import Post

    published = Post.objects.published()
    post = published.order_by("-published_at")[published.count() // 2]
    day = Learning.objects.published().order_by("-published_at")[10].published_day
    tag = Tag.objects.published_counts()[0]
    year = datetime.date.today().year - 2
    return {
        "home": "/",
        "post": post.get_absolute_url(),
        "learnings day": f"/learnings/{day:%Y/%m/%d}/",
        "tag": tag.get_absolute_url(),
        "archive": f"/archive/{year}/",
        "feed": "/feeds/all.atom",
        "search": "/search/?q=python",
    }


def query_counts(urls: dict[str, str], token: str) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_CACHE_BYPASS=token)
    counts = {}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts[name] = len(captured)
    return counts


def wrk(url: str, connections: int, seconds: float, headers: dict[str, str]) -> dict:
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(BENCH / "wrk_report.lua")]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("REPORT "))
    report = json.loads(line.removeprefix("REPORT "))
    report["rps"] = report["requests"] / report["seconds"]
    return report


def server_env(items: int, token: str, cache: str = "cache") -> dict[str, str]:
    """What the benchmark's servers run with: the generated database (created if missing),
    production settings, a cache directory under WORK, and the token that bypasses caches."""
    url = bench_database_url(f"bench_http_{items}")
    create_database(url)
    return {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "site_project.settings",
        "STATIC_ROOT": str(WORK / "static"),
        "CACHE_DIR": str(WORK / cache),
        "PAGE_CACHE_BYPASS_TOKEN": token,
        "GUNICORN_ACCESS_LOG": "",
    }


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
