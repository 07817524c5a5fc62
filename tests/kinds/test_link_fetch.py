"""The link fetcher against a web server on loopback: titles, Open Graph tags, redirects
re-checked, a 5 MB page cut at 1 MB, a timeout, and addresses it must never reach."""

import ipaddress

import pytest

from bookmarks import fetch
from bookmarks.fetch import fetch_page, is_public
from bookmarks.pagemeta import PageMeta

LOOPBACK = ipaddress.ip_address("127.0.0.1")


@pytest.fixture
def only_the_test_server_is_public(settings, monkeypatch):
    """The real address check, except that the test server's 127.0.0.1 passes: so a redirect
    from it to another private address meets the check as a public page's would."""
    settings.LINK_FETCH_ALLOW_PRIVATE = False
    real = fetch.is_public
    monkeypatch.setattr(fetch, "is_public", lambda address: address == LOOPBACK or real(address))


class TestPages:
    def test_title(self, page_server):
        page = fetch_page(f"{page_server.url}/title")
        assert page.title == "Plain & simple page" and page.error == ""

    def test_open_graph_wins_over_title_and_meta_description(self, page_server):
        page = fetch_page(f"{page_server.url}/og")
        assert page.title == "The Open Graph title"
        assert page.description == "What the page is about — briefly."

    def test_declared_charset(self, page_server):
        assert fetch_page(f"{page_server.url}/latin1").title == "Café crème"

    def test_gzip_body(self, page_server):
        assert fetch_page(f"{page_server.url}/gzip").title == "The Open Graph title"

    def test_redirects_are_followed(self, page_server):
        page = fetch_page(f"{page_server.url}/redirect?{page_server.url}/og")
        assert page.title == "The Open Graph title" and page.url == f"{page_server.url}/og"

    def test_a_5_mb_page_is_cut_at_1_mb(self, page_server):
        page = fetch_page(f"{page_server.url}/big")
        assert page.title == "A huge page"
        assert page.bytes_read == fetch.MAX_BYTES
        assert page.description == ""  # it sits past the first megabyte

    def test_a_slow_server_times_out(self, page_server, monkeypatch):
        monkeypatch.setattr(fetch, "READ_TIMEOUT", 0.5)
        page = fetch_page(f"{page_server.url}/slow")
        assert page.title == "" and page.error == "the site did not answer in time"


class TestFailuresAreMessages:
    @pytest.mark.parametrize(
        ("path", "error"),
        [
            ("/loop", "redirects more than 5 times"),
            ("/missing", "answered 404"),
            ("/pdf", "not an HTML page (application/pdf)"),
            ("/untitled", "has no title"),
        ],
    )
    def test_page_problems(self, page_server, path, error):
        page = fetch_page(page_server.url + path)
        assert error in page.error and page.title == ""

    def test_redirect_loop_stops_after_five_redirects(self, page_server):
        fetch_page(f"{page_server.url}/loop")
        assert page_server.requests.count("/loop") == fetch.MAX_REDIRECTS + 1

    @pytest.mark.parametrize(
        ("url", "error"),
        [
            ("ftp://example.org/file", "only http and https links are fetched, not ftp"),
            ("file:///etc/passwd", "only http and https links are fetched, not file"),
            ("javascript:alert(1)", "only http and https links are fetched, not javascript"),
            ("//example.org/x", "only http and https links are fetched, not this"),
            ("http:///path", "the link has no host"),
            ("http://[::1/", "the link is not a valid URL"),
        ],
    )
    def test_only_http_and_https(self, settings, url, error):
        settings.LINK_FETCH = True
        assert fetch_page(url).error == error

    def test_turned_off(self, settings):
        settings.LINK_FETCH = False
        assert "turned off" in fetch_page("https://example.org/").error


class TestAddressesRefused:
    @pytest.mark.parametrize(
        "address",
        [
            "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "0.0.0.0", "240.0.0.1", "224.0.0.1", "::1", "fe80::1", "fc00::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:0a00:0001::1", "::",
        ],
    )  # fmt: skip
    def test_not_public(self, address):
        assert not is_public(ipaddress.ip_address(address))

    @pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111", "1.1.1.1"])
    def test_public(self, address):
        assert is_public(ipaddress.ip_address(address))

    def test_loopback_is_refused_without_the_local_testing_switch(self, page_server, settings):
        settings.LINK_FETCH_ALLOW_PRIVATE = False
        page = fetch_page(f"{page_server.url}/title")
        assert "private or reserved address (127.0.0.1)" in page.error
        assert page_server.requests == []  # refused before connecting

    def test_localhost_by_name_is_refused(self, page_server, settings):
        settings.LINK_FETCH_ALLOW_PRIVATE = False
        port = page_server.url.rsplit(":", 1)[1]
        assert "private or reserved" in fetch_page(f"http://localhost:{port}/title").error
        assert page_server.requests == []

    @pytest.mark.parametrize(
        "target",
        ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/"],
    )
    def test_a_redirect_to_a_private_address_is_refused(
        self, page_server, only_the_test_server_is_public, target
    ):
        page = fetch_page(f"{page_server.url}/redirect?{target}")
        assert "private or reserved address" in page.error and page.title == ""
        assert page_server.requests == [f"/redirect?{target}"]

    def test_a_redirect_to_another_scheme_is_refused(self, page_server):
        page = fetch_page(f"{page_server.url}/redirect?file:///etc/passwd")
        assert "only http and https" in page.error


class TestPageMeta:
    def test_twitter_title_and_meta_description_as_fallbacks(self):
        html = (
            b'<meta name="twitter:title" content="Tweet title">'
            b'<meta name="description" content="  Spaced\n  out  ">'
        )
        assert PageMeta.parse(html) == PageMeta("Tweet title", "Spaced out")

    def test_long_title_is_cut_and_charset_from_meta(self):
        html = b'<meta charset="windows-1252"><title>' + b"\xe9" * 300 + b"</title>"
        meta = PageMeta.parse(html)
        assert len(meta.title) == 200 and meta.title.startswith("é") and meta.title.endswith("…")

    def test_garbage_does_not_raise(self):
        assert PageMeta.parse(b"\xff\xfe<<<>>><title") == PageMeta("", "")
