"""Fetching a bookmarked page for its title and description, safely.

The URL comes from the author's tools (the API, the bookmarklet), so the fetch is treated
as untrusted: http(s) only, every hop's address resolved and checked before connecting
(no loopback, private, link-local or reserved ranges: the server must not become a proxy
into its own network), the connection made to the address that was checked (so DNS cannot
change its answer in between), at most five redirects, short timeouts, a total deadline and
at most 1 MB read. Nothing here raises: a failure is a `Page` with an `error`.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from dataclasses import dataclass

import httpx
from django.conf import settings

from bookmarks.pagemeta import PageMeta

MAX_BYTES = 1_000_000
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 5.0
# A server dripping one byte per read timeout could otherwise hold a request for hours.
TOTAL_SECONDS = 10.0
HTML_TYPES = ("text/html", "application/xhtml+xml")


class FetchError(Exception):
    """Why a page was not fetched, in words for the author."""


@dataclass(frozen=True)
class Page:
    url: str
    title: str = ""
    description: str = ""
    error: str = ""
    bytes_read: int = 0


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: IPAddress) -> bool:
    """A globally routable unicast address (an IPv6 form of an IPv4 one is judged as that)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            address = embedded
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
        or not address.is_global
    )


def allow_private() -> bool:
    """`LINK_FETCH_ALLOW_PRIVATE=1` lifts the address check: for local testing only."""
    return bool(getattr(settings, "LINK_FETCH_ALLOW_PRIVATE", False))


def resolve(host: str, port: int) -> IPAddress:
    """The address to connect to: every address the name resolves to must be public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"{host} does not resolve") from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not allow_private():
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            raise FetchError(f"{host} resolves to a private or reserved address ({refused[0]})")
    return addresses[0]


def pinned_request(client: httpx.Client, url: httpx.URL) -> httpx.Request:
    """A GET for `url` sent to the checked address, with the real host in Host and SNI."""
    if url.scheme not in ("http", "https"):
        raise FetchError(f"only http and https links are fetched, not {url.scheme or 'this'}")
    if not url.host:
        raise FetchError("the link has no host")
    port = url.port or (443 if url.scheme == "https" else 80)
    address = resolve(url.raw_host.decode("ascii"), port)
    host_header = url.raw_host.decode("ascii") + (f":{url.port}" if url.port else "")
    return client.build_request(
        "GET",
        url.copy_with(host=str(address), port=port),
        headers={"Host": host_header},
        extensions={"sni_hostname": url.raw_host.decode("ascii")},
    )


def read_limited(response: httpx.Response, deadline: float) -> bytes:
    """At most MAX_BYTES of the body, decompressed within the same bound (a small gzip
    body can expand a thousandfold)."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip", "deflate"):
        raise FetchError(f"the page is sent {encoding}-encoded")
    body = bytearray()
    for chunk in response.iter_raw():
        body += chunk
        if len(body) >= MAX_BYTES:
            break
        if time.monotonic() > deadline:
            raise FetchError(f"the page took longer than {TOTAL_SECONDS:g} s to arrive")
    if encoding == "identity":
        return bytes(body[:MAX_BYTES])
    try:
        # wbits 47: a gzip or zlib header, whichever is there.
        return zlib.decompressobj(47).decompress(bytes(body), MAX_BYTES)
    except zlib.error as error:
        raise FetchError("the page's compressed body is damaged") from error


def read_page(response: httpx.Response, deadline: float) -> bytes:
    if response.status_code >= 400:
        raise FetchError(f"the page answered {response.status_code}")
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and kind not in HTML_TYPES:
        raise FetchError(f"the link is not an HTML page ({kind})")
    return read_limited(response, deadline)


def fetch_html(url: str) -> tuple[str, bytes, str | None]:
    """(final URL, at most MAX_BYTES of the body, its encoding) or FetchError."""
    deadline = time.monotonic() + TOTAL_SECONDS
    timeout = httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
    headers = {
        "User-Agent": f"{settings.SITE_NAME} link preview (+{settings.SITE_URL})",
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        # Compressed bodies could expand far past the limit before it is checked.
        "Accept-Encoding": "identity",
    }
    try:
        current = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise FetchError("the link is not a valid URL") from error
    with httpx.Client(timeout=timeout, headers=headers, trust_env=False) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            response = client.send(pinned_request(client, current), stream=True)
            try:
                if not response.is_redirect:
                    return str(current), read_page(response, deadline), response.charset_encoding
                try:
                    current = current.join(response.headers.get("location", ""))
                except httpx.InvalidURL as error:
                    raise FetchError("the page redirects to an invalid URL") from error
            finally:
                response.close()
    raise FetchError(f"the page redirects more than {MAX_REDIRECTS} times")


def fetch_page(url: str) -> Page:
    """The page's title and description (og:title or <title>, og:description or the meta
    description); on any failure, a Page whose `error` says why."""
    if not getattr(settings, "LINK_FETCH", True):
        return Page(url, error="fetching pages is turned off (LINK_FETCH=0)")
    try:
        final_url, body, encoding = fetch_html(url)
    except FetchError as error:
        return Page(url, error=str(error))
    except httpx.TimeoutException:
        return Page(url, error="the site did not answer in time")
    except httpx.HTTPError as error:
        return Page(url, error=f"the site could not be reached ({type(error).__name__})")
    meta = PageMeta.parse(body, encoding or "")
    return Page(
        final_url,
        title=meta.title,
        description=meta.description,
        error="" if meta.title else "the page has no title",
        bytes_read=len(body),
    )
