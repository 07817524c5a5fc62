"""Bad input gets the site's 404 (or 400), never a 500; query counts do not grow with content."""

import pytest
from django.utils import timezone

from content.models import content_models
from tests.factories import MAKERS

pytestmark = pytest.mark.django_db

BAD_URLS = [
    "/posts/no-such-post/",
    "/notes/no-such-note/",
    "/learnings/no-such-learning/",
    "/bookmarks/no-such-bookmark/",
    "/bookmarks/999999999/",
    "/tags/no-such-tag/",
    "/learnings/2026/02/30/",
    "/learnings/2026/13/01/",
    "/learnings/2026/00/10/",
    "/learnings/0/1/1/",
    "/learnings/99999/1/1/",
    "/learnings/2026/2/29/",
    "/bookmarks/2026/week/54/",
    "/bookmarks/2026/week/0/",
    "/bookmarks/0/week/1/",
    "/bookmarks/99999/week/1/",
    "/bookmarks/2025/week/53/",
    "/archive/0/",
    "/archive/99999/",
    "/archive/2026/13/",
    "/archive/2026/0/",
    "/archive/1800/",
    "/posts/?page=abc",
    "/posts/?page=-1",
    "/posts/?page=0",
    "/posts/?page=999999",
    "/notes/?page=1.5",
    "/learnings/?page=abc",
    "/learnings/?page=999999",
    "/bookmarks/?page=-1",
    "/tags/python/?page=abc",
    "/tags/python/?page=999999",
    "/posts/" + "a" * 3000 + "/",
    "/posts/%E2%80%AE%F0%9F%92%A9/",
    "/notes/%00/",
    "/tags/%F0%9F%90%8D/",
    "/preview/not-a-token/",
    "/archive/2026/02/99/",
]


@pytest.fixture
def content(db):
    for kind, make in MAKERS.items():
        make(title=f"A {kind}", tags=["python"])


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_urls_get_a_readable_404(client, content, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def populate(per_kind: int) -> list:
    items = []
    for make in MAKERS.values():
        for n in range(per_kind):
            items.append(make(tags=["python", f"tag{n % 7}"], published_at=timezone.now()))
    return items


def urls_for(items: list) -> list[str]:
    detail = {type(item): item.get_absolute_url() for item in items}
    learning_day = next(i for i in items if i._meta.model_name == "learning").published_day
    bookmark_week = next(i for i in items if i._meta.model_name == "bookmark").published_week
    year = timezone.localdate().year
    return [
        "/", "/posts/", "/notes/", "/learnings/", "/bookmarks/", "/tags/", "/tags/python/",
        f"/archive/{year}/", f"/archive/{year}/{timezone.localdate().month}/",
        f"/learnings/{learning_day.year}/{learning_day.month}/{learning_day.day}/",
        f"/bookmarks/{bookmark_week[0]}/week/{bookmark_week[1]}/",
        *(detail[model] for model in content_models()),
    ]  # fmt: skip


def test_query_counts_do_not_grow_with_content(client, django_assert_max_num_queries):
    """Every page type: the same bound with 5 or 50 items per kind."""
    small = populate(5)
    counts = {}
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls_for(small):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    large = populate(45)
    for url in urls_for(small):
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200, url
    assert len(large) == 180
    # and an absolute ceiling: no page needs more than 20 queries
    assert max(counts.values()) <= 20, counts
