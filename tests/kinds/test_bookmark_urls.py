"""Bookmark URLs of every shape get a validation message, never a 500 (fuzzed with
hypothesis): normalisation either refuses a URL with InvalidURL or returns one that
normalises to itself."""

import pytest
from django.forms import modelform_factory
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bookmarks.models import Bookmark
from bookmarks.normalize import InvalidURL, domain_of, normalize_url
from content.forms import PublishableForm
from tests.history.conftest import admin_url

# The form the admin builds: the base admin form over the bookmark admin's fields.
ADMIN_FORM = modelform_factory(
    Bookmark, form=PublishableForm, fields=["title", "url", "via_url", "body", "status"]
)
ODD_HOSTS = [
    "[::1]", "[", "[::1", "::1]", "::1", "[fe80::1%25eth0]", "[v1.x]", "1.2.3.4",
    "bücher.example", "xn--bcher-kva.example", "EXAMPLE.COM.", "a" * 64 + ".com",
    "user:pw@example.com", "@", "", "[::ffff:1.2.3.4]", "例え.テスト",
]  # fmt: skip
HOSTS = st.one_of(
    st.from_regex(r"\A[a-z0-9-]{1,20}(\.[a-z]{2,6}){1,2}\Z"),
    st.sampled_from(ODD_HOSTS),
    st.text(max_size=20),
)
PORTS = st.one_of(
    st.just(""),
    st.integers(min_value=-100, max_value=200_000).map(lambda n: f":{n}"),
    st.text(max_size=6).map(lambda t: f":{t}"),
)
URLS = st.one_of(
    st.builds(
        "{}://{}{}{}".format,
        st.sampled_from(["http", "https", "HTTP", "ftp", "", "javascript"]),
        HOSTS,
        PORTS,
        st.one_of(st.just("/x"), st.text(max_size=30), st.just("/?utm_source=a&q=%zz#frag")),
    ),
    st.text(max_size=60),
)


def normalised_or_refused(url: str) -> str | None:
    try:
        return normalize_url(url)
    except InvalidURL as error:
        assert str(error)
        return None


@given(URLS)
@example("http://[::1]/x")
@example("http://[")
@example("http://example.com:99999/")
@example("http://example.com:-1/")
@example("http://bücher.example/")
@settings(max_examples=400, deadline=None)
def test_normalize_either_refuses_or_is_idempotent(url):
    normalized = normalised_or_refused(url)
    if normalized is not None:
        assert normalize_url(normalized) == normalized
        assert isinstance(domain_of(normalized), str)
    assert isinstance(domain_of(url), str)


@pytest.mark.parametrize(
    "url,expected",
    [
        ("http://[::1]/x", "http://[::1]/x"),
        ("HTTP://[::1]:80/x", "http://[::1]/x"),
        ("https://[2001:DB8::1]:8443/", "https://[2001:db8::1]:8443/"),
        ("http://Bücher.Example/", "http://bücher.example/"),
    ],
)
def test_ipv6_and_idna_hosts_are_kept_readable(url, expected):
    assert normalize_url(url) == expected


@pytest.mark.parametrize("url", ["http://[", "http://[::1", "http://example.com:99999/"])
def test_unreadable_urls_are_refused_with_a_reason(url):
    with pytest.raises(InvalidURL, match="cannot be read"):
        normalize_url(url)


@pytest.mark.django_db
@given(URLS)
@example("http://[::1]/x")
@example("http://[")
@example("http://example.com:70000/")
@example("https://example.com/?" + "q=%C3%A9&" * 300)
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_the_admin_form_answers_every_url_with_a_message_or_a_save(url):
    data = {"title": "T", "body": "", "status": "draft", "tag_names": "", "via_url": ""}
    form = ADMIN_FORM(data={**data, "url": url})
    if form.is_valid():
        bookmark = form.save()
        assert normalize_url(bookmark.url) == bookmark.url
        bookmark.delete()
    else:
        assert form.errors["url"]


@pytest.mark.django_db
def test_the_admin_page_shows_the_message_for_a_bad_ipv6_url(staff_client):
    data = {"title": "T", "body": "", "status": "draft", "tag_names": "", "via_url": ""}
    response = staff_client.post(admin_url(Bookmark, "add"), {**data, "url": "http://[::1"})
    assert response.status_code == 200
    assert "Enter a valid URL" in response.content.decode() or "cannot be read" in (
        response.content.decode()
    )
    ok = staff_client.post(admin_url(Bookmark, "add"), {**data, "url": "http://[::1]/x"})
    assert ok.status_code == 302
    assert Bookmark.objects.get().url == "http://[::1]/x"
