"""Helpers shared by the feed tests: a site of items over three ISO weeks, feed readers."""

import calendar
import datetime
import json
from dataclasses import dataclass

import feedparser
import pytest
from django.utils import timezone

from content.models import Status
from tests.factories import local, make_bookmark, make_learning, make_note, make_post

SECTIONS = ["all", "posts", "notes", "learnings", "bookmarks", "weekly"]
FORMATS = ["rss", "atom", "json"]
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
SITE = "http://testserver"

BODY = """Intro with a [relative link](/notes/elsewhere/), an ![chart](/media/chart.png),
a [jump](#details) and an [outside link](https://example.org/x).

```python
def answer():
    return 42
```

Markup shown as code stays as written: `<a href="/raw">`.

## Details

The end.
"""


# A Thursday in ISO week 11 of 2026: week 10 is the last completed week.
NOW = (2026, 3, 12, 12, 0)


@pytest.fixture
def _thursday(time_machine):
    time_machine.move_to(local(*NOW), tick=True)


@pytest.fixture
def site(db):
    """Published items of every kind across three ISO weeks, plus hidden ones."""
    items = {
        "post": make_post(
            title="Post & friends",
            summary="The summary.",
            body=BODY,
            tags=["Python", "PostgreSQL"],
            published_at=local(2026, 3, 12, 11),
        ),
        "note": make_note(
            title="A note", body=BODY, tags=["Python"], published_at=local(2026, 3, 12, 10)
        ),
        "learning": make_learning(
            title="What is a trie?",
            sources=["https://en.wikipedia.org/wiki/Trie", "https://example.com/a?b=1&c=2"],
            published_at=local(2026, 3, 12, 9),
        ),
        "bookmark": make_bookmark(
            title="Tries explained",
            url="https://www.example.org/tries",
            body="Worth *reading*, see [my note](/notes/a-note/).",
            tags=["Python"],
            published_at=local(2026, 3, 12, 8),
        ),
        "week10": make_bookmark(title="Week ten link", published_at=local(2026, 3, 4, 10)),
        "week9a": make_bookmark(title="Week nine first", published_at=local(2026, 2, 24, 9)),
        "week9b": make_bookmark(
            title="Week nine second", tags=["Rust"], published_at=local(2026, 2, 26, 9)
        ),
        "old_post": make_post(title="Older post", published_at=local(2026, 2, 10, 9)),
    }
    future = timezone.now() + datetime.timedelta(days=3)
    for make in (make_post, make_note, make_learning, make_bookmark):
        make(title="HIDDEN draft", status=Status.DRAFT, tags=["Python"])
        make(title="HIDDEN scheduled", published_at=future, tags=["Python"])
    make_bookmark(title="HIDDEN week ten draft", status=Status.DRAFT)
    return items


@dataclass
class Entry:
    id: str
    title: str
    link: str
    published: int  # Unix seconds: RSS dates carry no fractions
    updated: int
    tags: list[str]
    content: str
    summary: str


def seconds(moment: datetime.datetime) -> int:
    return int(moment.timestamp())


def read(response, fmt: str) -> tuple[dict, list[Entry]]:
    """The feed and its entries, whatever the format, exactly as served (no URL fixing)."""
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    if fmt == "json":
        data = json.loads(response.content)
        entries = [
            Entry(
                id=item["id"],
                title=item["title"],
                link=item.get("external_url", item["url"]),
                published=seconds(datetime.datetime.fromisoformat(item["date_published"])),
                updated=seconds(datetime.datetime.fromisoformat(item["date_modified"])),
                tags=item["tags"],
                content=item["content_html"],
                summary=item.get("summary", ""),
            )
            for item in data["items"]
        ]
        return data, entries
    parsed = feedparser.parse(response.content, resolve_relative_uris=False, sanitize_html=False)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    entries = [
        Entry(
            id=entry.id,
            title=entry.title,
            link=entry.link,
            published=calendar.timegm(entry.published_parsed),
            updated=calendar.timegm(entry.updated_parsed),
            tags=[tag.term for tag in entry.get("tags", [])],
            content=entry.content[0].value,
            summary=entry.get("summary", ""),
        )
        for entry in parsed.entries
    ]
    return parsed.feed, entries


def fetch(client, url: str, fmt: str) -> list[Entry]:
    return read(client.get(url), fmt)[1]
