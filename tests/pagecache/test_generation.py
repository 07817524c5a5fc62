"""The generation nginx keys its page cache on: written after every change commits, by every
process that changes content, and never put back to an older one."""

import pytest

from content.models import ContentVersion
from pagecache import proxy
from tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def generation_file(settings, tmp_path, monkeypatch):
    path = tmp_path / "run" / "generation"
    settings.PROXY_GENERATION_FILE = str(path)
    monkeypatch.setattr(proxy, "_seen", None)
    return path


def test_a_change_writes_the_generation_once_it_commits(
    generation_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_post()
    assert not generation_file.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    assert generation_file.read_text() == proxy.generation(ContentVersion.current())


def test_a_slow_request_never_writes_an_older_generation(generation_file):
    make_post()
    seen_before = ContentVersion.current()
    make_post()
    now = ContentVersion.current()
    proxy.follow(now)
    # A request that read the version before the second change finishes only now.
    proxy.follow(seen_before)
    assert generation_file.read_text() == proxy.generation(now)


def test_following_costs_nothing_until_the_version_changes(
    generation_file, django_assert_num_queries
):
    make_post()
    version = ContentVersion.current()
    proxy.follow(version)
    with django_assert_num_queries(0):
        proxy.follow(version)


def test_nothing_is_written_without_a_proxy(settings, tmp_path):
    settings.PROXY_GENERATION_FILE = ""
    make_post()
    proxy.follow(ContentVersion.current())
    assert not any(tmp_path.iterdir())


def test_the_generation_names_the_code_and_the_content(generation_file):
    make_post()
    version = ContentVersion.current()
    assert proxy.generation(version) == f"{proxy.RELEASE}-{version.key}"


def test_a_version_row_gone_meanwhile_writes_nothing_and_raises_nothing(generation_file):
    """A worker booting while a test flushes the database read the version, then found no
    row: it must still boot (gunicorn stops every worker when one fails to)."""
    version = ContentVersion.current()
    ContentVersion.objects.all().delete()
    proxy.follow(version)
    assert not generation_file.exists()
    proxy.follow(ContentVersion.current())  # the next request makes the row again
    assert generation_file.read_text() == proxy.generation(ContentVersion.current())
