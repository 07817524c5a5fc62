"""What a page costs when it is rendered (the page cache bypassed): at most eight queries,
the same number with a few items as with every list full."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import MAKERS

pytestmark = pytest.mark.django_db

MOST = 8


def fill(per_kind: int) -> dict[str, str]:
    """`per_kind` items of each kind, spread over the last weeks, all tagged; the URLs of one
    page of each type."""
    now = timezone.now()
    made = {}
    for n in range(per_kind):
        for offset, make in enumerate(MAKERS.values()):
            moment = now - datetime.timedelta(hours=4 * n + offset)
            item = make(title=f"Item {n}", published_at=moment, tags=["Caching", f"t{n % 3}"])
            made.setdefault(item._meta.model_name, item)
    day = made["learning"].published_day
    return {
        "home": "/",
        "post": made["post"].get_absolute_url(),
        "learnings day": f"/learnings/{day:%Y/%m/%d}/",
        "tag": "/tags/caching/",
        "archive": f"/archive/{now.year}/",
        "feed": "/feeds/all.atom",
        "tag feed": "/tags/caching/feed.json",
        "search": "/search/?q=item",
        "posts": "/posts/",
        "learnings": "/learnings/",
        "bookmarks": "/bookmarks/",
        "tags": "/tags/",
    }


def costs(client, urls: dict[str, str]) -> dict[str, int]:
    fresh = {"x-cache-bypass": "fresh"}
    found = {}
    for name, url in urls.items():
        client.get(url, headers=fresh)  # counts cached per version, as after any first visit
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, headers=fresh).status_code == 200, url
        found[name] = len(captured)
    return found


def test_pages_cost_few_queries_whatever_the_amount_of_content(client, settings):
    settings.PAGE_CACHE_BYPASS_TOKEN = "fresh"
    few = costs(client, fill(2))
    assert max(few.values()) <= MOST, few
    # Enough for every list to be full: pages of 20 cards, 30 feed items, 50 titles.
    many = costs(client, fill(25))
    assert max(many.values()) <= MOST, many
    # Search counts exactly while its window holds every match, then stops counting (one
    # query fewer; docs/search.md); every other page costs the same.
    assert many.pop("search") <= few.pop("search")
    assert many == few


def test_a_tag_page_after_a_change_counts_tags_in_one_more_query(client, settings):
    settings.PAGE_CACHE_BYPASS_TOKEN = "fresh"
    fill(3)
    with CaptureQueriesContext(connection) as captured:
        client.get("/tags/caching/", headers={"x-cache-bypass": "fresh"})
    assert len(captured) <= MOST
