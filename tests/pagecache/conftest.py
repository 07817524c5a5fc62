import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_bookmark, make_learning, make_note, make_post

# Every kind of public page (the keys of `public_urls`).
PUBLIC = [
    "home", "post", "note", "learning", "bookmark", "posts", "notes", "learnings",
    "learnings day", "bookmarks", "week", "tags", "tag", "archive year", "archive month",
    "feeds", "feed", "json feed", "tag feed", "search", "sitemap", "robots",
]  # fmt: skip


def public_urls(items: dict) -> dict[str, str]:
    """Every kind of public page, for `items` made by the `site` fixture."""
    post = items["post"]
    day = items["learning"].published_day
    week = items["bookmark"].published_week
    return {
        "home": "/",
        "post": post.get_absolute_url(),
        "note": items["note"].get_absolute_url(),
        "learning": items["learning"].get_absolute_url(),
        "bookmark": items["bookmark"].get_absolute_url(),
        "posts": "/posts/",
        "notes": "/notes/",
        "learnings": "/learnings/",
        "learnings day": f"/learnings/{day:%Y/%m/%d}/",
        "bookmarks": "/bookmarks/",
        "week": f"/bookmarks/{week.year}/week/{week.number}/",
        "tags": "/tags/",
        "tag": "/tags/caching/",
        "archive year": f"/archive/{post.published_at.year}/",
        "archive month": f"/archive/{post.published_at:%Y/%m}/",
        "feeds": "/feeds/",
        "feed": "/feeds/all.atom",
        "json feed": "/feeds/posts.json",
        "tag feed": "/tags/caching/feed.rss",
        "search": "/search/?q=caching",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
    }


@pytest.fixture
def site(db):
    made = {
        "post": make_post(title="Caching pages", tags=["Caching"]),
        "note": make_note(title="A note on caching", tags=["Caching"]),
        "learning": make_learning(title="What does a CDN keep?", tags=["Caching"]),
        "bookmark": make_bookmark(title="HTTP caching, explained", tags=["Caching"]),
    }
    return made


@pytest.fixture
def urls(site) -> dict[str, str]:
    return public_urls(site)


def fetch(client, url: str, **headers):
    """(response, number of queries)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return response, len(captured)


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()
