"""EXPLAIN ANALYZE of the queries that used to grow with the content: the home page's sections
(the newest day of learnings among them), a post's neighbours and related items, a tag page's
rows and counts, an archive's titles and month counts, and the page cache's version lookup.

    .tools/bin/uv run python bench/explain_pages.py [--items 10000]

Runs against the database `make bench-http` fills (`bench_http_<items>`); docs/performance.md
quotes its output.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_bench import bench_database_url, explain  # noqa: E402


def sql_of(sql: str, params: list) -> str:
    """A statement with its parameters in place, as psycopg would send it."""
    from django.db import connection

    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params)


def statements() -> dict[str, str]:
    """Each page's query, as the page builds it (a few run through Django to capture them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from content.archives import _count_months
    from content.mixed import MixedList, load_sections
    from content.models import ContentVersion, Tag, content_models
    from content.related import related_items
    from posts.models import Post

    def captured(call) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            call()
        return [query["sql"] for query in queries]

    published = Post.objects.published()
    post = published.order_by("-published_at")[published.count() // 2]
    tag = Tag.objects.published_counts()[0]
    year = datetime.date.today().year - 2
    start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC)
    tagged = MixedList(lambda model: model.objects.published(), tag=tag)
    titles = MixedList(
        lambda model: model.objects.published().filter(
            published_at__gte=start, published_at__lt=end
        ),
        titles_only=True,
    )
    return {
        "content version (every request)": captured(ContentVersion.current)[0],
        "home: every kind's section": captured(
            lambda: load_sections([model.home_section() for model in content_models()])
        )[0],
        "post: previous and next": captured(lambda: published.neighbours(post.published_at))[0],
        f"post: related ({post.tags.count()} tags)": captured(lambda: related_items(post))[-1],
        f"tag page rows (#{tag.name}, {tag.item_count} items)": sql_of(*tagged.statement(20)),
        "tag counts (once per content version)": captured(Tag.objects.all()._count_published)[0],
        f"archive {year}: first page of titles": sql_of(*titles.statement(50)),
        "archive month counts (once per content version)": captured(_count_months)[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = bench_database_url(f"bench_http_{args.items}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings")
    import django

    django.setup()
    from django.db import connection

    for label, sql in statements().items():
        with connection.cursor() as cursor:
            cursor.execute(sql)  # warm, as a running site is
        print(f"### {label}\n\n```\n{explain(sql)}\n```\n")


if __name__ == "__main__":
    main()
