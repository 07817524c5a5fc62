"""Time /search/ through the real view (middleware, form, queries, template) at 100k items.

    .tools/bin/uv run python bench/search_bench.py [--runs 20] [--items 100000] [--db bench]

Uses its own database (`bench`) on the local PostgreSQL cluster, or on the server of
DATABASE_URL when that is set. The first run fills it with `generate_content` (10% posts,
20% notes, 40% learnings, 30% bookmarks over ten years; several minutes); later runs reuse it.
Each query is requested twice to warm up, then `--runs` times; the table gives the median and
95th percentile per class of query, then the EXPLAIN ANALYZE of the slowest SQL statement of
one more pass over all queries. Exits 1 if a class misses p95 ≤ 50 ms. See docs/search.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARES = {"posts": 0.10, "notes": 0.20, "learnings": 0.40, "bookmarks": 0.30}
TARGET_MS = 50

# (class, query parameters): what readers of a technical site type, typos included.
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("word", {"q": "postgresql"}),
    ("word", {"q": "caching"}),
    ("word", {"q": "asyncio"}),
    ("word", {"q": "latency"}),
    ("word", {"q": "raft"}),
    ("word", {"q": "unicode"}),
    # Words of a few titles only (5-10% of items): the index and the date order compete.
    ("word", {"q": "rethinking"}),
    ("word", {"q": "hype"}),
    ("phrase", {"q": '"connection pooling"'}),
    ("phrase", {"q": '"cache invalidation"'}),
    ("phrase", {"q": '"tail latency"'}),
    ("phrase", {"q": '"garbage collection" rust'}),
    ("phrase", {"q": '"without the hype"'}),
    ("exclusion", {"q": "caching -redis"}),
    ("exclusion", {"q": "python -django"}),
    ("exclusion", {"q": "replication -postgresql"}),
    ("exclusion", {"q": "testing or fuzzing -property"}),
    ("filter", {"q": "postgresql", "kind": "learning"}),
    ("filter", {"q": "caching", "year": "2022"}),
    ("filter", {"q": "asyncio", "tag": "django"}),
    ("filter", {"q": "latency", "kind": "note", "year": "2024", "tag": "caching"}),
    ("filter", {"q": "indexes", "page": "3"}),
    ("typo", {"q": "asycnio"}),
    ("typo", {"q": "postgrse"}),
    ("typo", {"q": "garbge colection"}),
    ("typo", {"q": "idempotncy"}),
    ("typo", {"q": "bakpressure"}),
    ("typo", {"q": "pyhton"}),
]


def bench_database_url(name: str) -> str:
    from site_project import localdb

    if os.environ.get("DATABASE_URL"):
        base = os.environ["DATABASE_URL"]
    else:
        database = localdb.LocalDatabase()
        database.ensure_running()
        base = database.database_url()
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate_missing(items: int, shares: dict[str, float], **options) -> dict[str, int]:
    """Migrate, then generate what the database lacks of `items` split by `shares`: once,
    since later runs find the data there. Returns how many of each kind were made."""
    from django.core.management import call_command

    from content.models import content_models

    call_command("migrate", verbosity=0)
    have = {m._meta.app_label: m.objects.count() for m in content_models()}
    missing = {label: max(0, round(items * share) - have[label]) for label, share in shares.items()}
    if any(missing.values()):
        print(f"Generating {sum(missing.values()):,} items (once) ...", file=sys.stderr)
        call_command("generate_content", **options, **missing)
    return missing


def prepare(items: int) -> None:
    """Migrate, and fill the database once; later runs find the data there."""
    from django.db import connection

    from content.models import content_models
    from search.index import refresh_search_vectors, refresh_search_words

    missing = generate_missing(items, SHARES, seed=7)
    stale = False
    for model in content_models():
        # generate_content refreshes vectors itself; this covers data made before it did.
        if model.objects.filter(search_vector__isnull=True).exists():
            print(f"Indexing {model._meta.verbose_name_plural} ...", file=sys.stderr)
            refresh_search_vectors(
                model, model.objects.filter(search_vector__isnull=True).values_list("pk", flat=True)
            )
            stale = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM site_project_searchword")
        stale = stale or any(missing.values()) or cursor.fetchone()[0] == 0
    if stale:
        refresh_search_words()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def measure(runs: int) -> tuple[dict[str, list[float]], tuple, tuple]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Every run searches: the page cache is bypassed.
    settings.PAGE_CACHE_BYPASS_TOKEN = "bench"
    client = Client(HTTP_HOST="localhost", HTTP_X_CACHE_BYPASS="bench")
    timings: dict[str, list[float]] = {}
    slowest = (0.0, None)
    for _ in range(2):  # warm up: plans, caches, shared buffers
        for _, params in QUERIES:
            assert client.get("/search/", params).status_code == 200, params
    for _ in range(runs):
        for kind, params in QUERIES:
            started = time.perf_counter()
            response = client.get("/search/", params)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, params
            timings.setdefault(kind, []).append(elapsed)
            slowest = max(slowest, (elapsed, params), key=lambda pair: pair[0])
    # Every query once more, recording its SQL: the slowest statement of all is explained.
    statements = []
    for _, params in QUERIES:
        with CaptureQueriesContext(connection) as captured:
            client.get("/search/", params)
        statements += [(float(q["time"]), params, q["sql"]) for q in captured]
    return timings, slowest, max(statements, key=lambda statement: statement[0])


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--db", default="bench", help="database name on the same server")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings")
    url = bench_database_url(args.db)
    create_database(url)
    os.environ["DATABASE_URL"] = url
    import django
    from django.conf import settings

    django.setup()
    # As in the test suite: no collectstatic manifest needed to render {% static %}.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    prepare(args.items)

    from content.models import content_models

    total = sum(m.objects.count() for m in content_models())
    timings, (worst_ms, worst_params), (sql_s, sql_params, sql) = measure(args.runs)
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(
        f"{total:,} items, {len(QUERIES)} queries × {args.runs} runs, through the view "
        f"(load average {load} on {os.cpu_count()} CPUs)\n"
    )
    print(f"| class | queries | median ms | p95 ms | ≤ {TARGET_MS} ms |")
    print("| --- | ---: | ---: | ---: | :-: |")
    failed = False
    for kind in dict.fromkeys(k for k, _ in QUERIES):
        values = timings[kind]
        p95 = percentile(values, 0.95)
        failed |= p95 > TARGET_MS
        count = sum(1 for k, _ in QUERIES if k == kind)
        print(
            f"| {kind} | {count} | {statistics.median(values):.1f} | {p95:.1f} | "
            f"{'yes' if p95 <= TARGET_MS else 'NO'} |"
        )
    print(f"\nSlowest request: /search/?{urlencode(worst_params)} {worst_ms:.1f} ms")
    print(
        f"Slowest SQL statement of a last pass over all queries: {sql_s * 1000:.1f} ms, "
        f"for /search/?{urlencode(sql_params)}\n"
    )
    print(sql, "\n")
    print(explain(sql))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
