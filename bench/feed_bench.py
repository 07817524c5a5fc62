"""Time `/feeds/all.atom` with 30 full posts, through Django's test client, uncached.

    .tools/bin/uv run python bench/feed_bench.py [--runs 300] [--url /feeds/all.atom]

Makes a throwaway PostgreSQL database (`test_site_feed_bench`, or TEST_DATABASE_NAME), fills
it with 30 published posts whose bodies are `bench/data/technical.md` (about 1,550 words with
code, maths and footnotes; each rendered once, on save, as in production) plus a few drafts,
then requests the feed `--runs` times with no conditional headers, so every run builds the
whole feed. Prints the median and 95th percentile in milliseconds, the query count and the
response size. The database is dropped at the end.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings")
# Its own database, so a test run elsewhere on the same server is never disturbed.
os.environ.setdefault("TEST_DATABASE_NAME", "test_site_feed_bench")

import django  # noqa: E402  (needs the environment above)


def create_posts(source: str, count: int) -> None:
    from content.models import Status, Tag
    from posts.models import Post

    tags = Tag.objects.resolve(["PostgreSQL", "Performance", "Python", "Operations"])
    for n in range(count):
        post = Post(
            title=f"Sizing a connection pool, part {n + 1}",
            summary="The arithmetic, the measurements and the code behind a pool size.",
            # A different first line per post, so no two bodies are identical.
            body=f"Part {n + 1} of the series.\n\n{source}",
            status=Status.PUBLISHED,
        )
        post.save()
        post.tags.set(tags[n % 4 : n % 4 + 2] or tags[:2])
    Post(title="A draft", summary="Never in a feed.", body=source, status=Status.DRAFT).save()


def measure(url: str, runs: int, warmup: int) -> tuple[list[float], int, int]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    # Every run builds the feed: the page cache is bypassed.
    settings.PAGE_CACHE_BYPASS_TOKEN = "bench"
    client = Client(HTTP_X_CACHE_BYPASS="bench")
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings), len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--url", default="/feeds/all.atom")
    parser.add_argument("--file", type=Path, default=ROOT / "bench" / "data" / "technical.md")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        from site_project import localdb

        localdb.LocalDatabase().ensure_running()
    django.setup()
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        create_posts(args.file.read_text(encoding="utf-8"), args.posts)
        timings, queries, size = measure(args.url, max(args.runs, 1), args.warmup)
    finally:
        teardown_databases(databases, verbosity=0)
        teardown_test_environment()
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    print(f"{args.url}: {args.posts} posts, {size:,} bytes, {queries} queries")
    print(
        f"runs={len(timings)} median={statistics.median(timings):.2f} ms "
        f"p95={p95:.2f} ms min={timings[0]:.2f} ms"
    )


if __name__ == "__main__":
    main()
