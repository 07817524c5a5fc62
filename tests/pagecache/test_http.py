"""HTTP caching and compression, as Django sends them (the proxy tests check them through
nginx): validators and 304s on every public page, Cache-Control, Vary, encodings."""

import datetime
import gzip

import brotli
import pytest
from django.utils import timezone

from tests.factories import make_post
from tests.pagecache.conftest import PUBLIC, fetch

pytestmark = pytest.mark.django_db

ESSAY = "\n\n".join(
    f"Part {n}. A cache keeps a page so that the next reader gets it without the work of "
    "rendering it again; compression then sends fewer bytes of the same page."
    for n in range(1, 9)
)


@pytest.mark.parametrize("page", PUBLIC)
def test_every_public_page_may_be_kept_and_revalidated(client, urls, settings, page):
    """Validators, 304s (from the copy and when rendered afresh), Cache-Control and Vary."""
    settings.PAGE_CACHE_BYPASS_TOKEN = "t"
    first = client.get(urls[page])
    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith(" GMT")
    for fresh in ({}, {"x-cache-bypass": "t"}):
        again = client.get(urls[page], headers={**fresh, "if-none-match": first["ETag"]})
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == first["ETag"]
    directives = {d.strip() for d in first["Cache-Control"].split(",")}
    assert {"public", "max-age=60", "stale-while-revalidate=600"} <= directives
    assert {"Accept-Encoding", "Cookie"} <= {v.strip() for v in first["Vary"].split(",")}
    # nginx's own cache keeps it until it may change (its key follows every change).
    assert first["X-Accel-Expires"].startswith("@")


class TestValidators:
    @pytest.mark.parametrize("page", ["home", "post", "tag", "archive year", "search"])
    def test_if_modified_since_gets_304(self, client, urls, page):
        first = client.get(urls[page])
        again = client.get(urls[page], headers={"if-modified-since": first["Last-Modified"]})
        assert again.status_code == 304

    def test_a_change_gives_the_page_a_new_etag_and_date(self, client, urls, site, time_machine):
        first = client.get(urls["home"])
        time_machine.move_to(timezone.now() + datetime.timedelta(seconds=5))
        make_post(title="Something new")
        again = client.get(urls["home"], headers={"if-none-match": first["ETag"]})
        assert again.status_code == 200 and b"Something new" in again.content
        assert again["ETag"] != first["ETag"]
        assert again["Last-Modified"] != first["Last-Modified"]

    def test_a_page_the_change_left_alone_keeps_its_etag(self, client, urls, site):
        first = client.get(urls["note"])
        make_post(title="Elsewhere")
        again = client.get(urls["note"], headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304


class TestCacheControl:
    def test_the_settings_choose_how_long(self, client, urls, settings):
        settings.PAGE_MAX_AGE, settings.PAGE_STALE_SECONDS = 5, 30
        directives = client.get(urls["home"])["Cache-Control"]
        assert "max-age=5" in directives and "stale-while-revalidate=30" in directives

    def test_private_pages_say_so(self, staff_client, urls):
        for url in (urls["home"], "/admin/"):
            directives = staff_client.get(url)["Cache-Control"]
            assert "private" in directives and "no-store" in directives


class TestCompression:
    @pytest.mark.parametrize("page", ["home", "post", "feed", "json feed", "sitemap"])
    @pytest.mark.parametrize("encoding", ["br", "gzip"])
    def test_pages_come_compressed_when_accepted(self, client, urls, page, encoding):
        # A post of a realistic length: the fixture's one-line items leave a feed of a few
        # hundred bytes of unique URLs and times, which compresses to about half, no further.
        make_post(title="On compression", body=ESSAY)
        plain = client.get(urls[page])
        accepted = "gzip, deflate, br" if encoding == "br" else "gzip, deflate"
        for _ in range(2):  # rendered, then kept
            response = client.get(urls[page], headers={"accept-encoding": accepted})
            assert response["Content-Encoding"] == encoding
            assert response["Content-Length"] == str(len(response.content))
            unpack = brotli.decompress if encoding == "br" else gzip.decompress
            assert unpack(response.content) == plain.content
            # The same page in other bytes: a weak validator.
            assert response["ETag"] == f"W/{plain['ETag']}"
        assert len(response.content) < len(plain.content) / 2

    def test_an_encoding_refused_with_q_0_is_not_used(self, client, urls):
        response = client.get(urls["home"], headers={"accept-encoding": "br;q=0, gzip"})
        assert response["Content-Encoding"] == "gzip"
        response = client.get(urls["home"], headers={"accept-encoding": "identity"})
        assert not response.has_header("Content-Encoding")

    def test_a_304_for_a_compressed_page(self, client, urls):
        first = client.get(urls["post"], headers={"accept-encoding": "br"})
        again = client.get(
            urls["post"], headers={"accept-encoding": "br", "if-none-match": first["ETag"]}
        )
        assert again.status_code == 304

    def test_what_is_not_kept_is_left_for_the_proxy_to_compress(self, staff_client, urls):
        response, _ = fetch(staff_client, urls["home"], accept_encoding="br")
        assert not response.has_header("Content-Encoding")
