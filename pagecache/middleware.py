"""The page cache: anonymous GET and HEAD of public pages (`content.public`), kept in Django's
cache (the backend is a setting) under the content's version and the code's release.

Per request it costs the version's one primary-key lookup and one cache read. Signed-in
readers, requests with an Authorization header, and pages asked with parameters their view
will not cache get fresh pages marked private. Only 200 responses that set no cookie, hold no
CSRF token and use no CSP nonce are kept: a kept page must be the same for every reader.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date

from content.models import ContentVersion
from content.public import PublicPage, public_page_of
from pagecache import proxy
from pagecache.release import RELEASE
from pagecache.store import Page


class Mode(Enum):
    PRIVATE = "private"  # a signed-in reader: fresh, and nobody else's to keep
    UNCACHED = "uncached"  # a public page asked in a way not worth keeping
    BYPASS = "bypass"  # the operator's token (benchmarks): fresh, public headers, not kept
    CACHED = "cached"


def is_private(request: HttpRequest) -> bool:
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    # Anonymous readers carry no session cookie: most requests never touch the session.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def bypassed(request: HttpRequest) -> bool:
    token = settings.PAGE_CACHE_BYPASS_TOKEN
    return bool(token) and request.headers.get("X-Cache-Bypass") == token


@dataclass
class Visit:
    request: HttpRequest
    mode: Mode
    version: ContentVersion | None = None
    now: datetime.datetime | None = None
    key: str = ""
    hit: bool = False

    @classmethod
    def start(cls, request: HttpRequest, page: PublicPage) -> Visit:
        if is_private(request):
            return cls(request, Mode.PRIVATE)
        if not page.cacheable(request):
            return cls(request, Mode.UNCACHED)
        version = ContentVersion.current()
        proxy.follow(version)
        mode = Mode.BYPASS if bypassed(request) else Mode.CACHED
        where = hashlib.sha1(f"{request.path}?{page.variant(request)}".encode()).hexdigest()
        key = f"page:{RELEASE}:{version.key}:{where}"
        return cls(request, mode, version, timezone.now(), key)

    @property
    def expires_at(self) -> datetime.datetime:
        longest = self.now + datetime.timedelta(seconds=settings.PAGE_CACHE_SECONDS)
        return min(longest, self.version.expires_at(self.now))

    def cached(self) -> HttpResponse | None:
        if self.mode is not Mode.CACHED:
            return None
        page = cache.get(self.key)
        if page is None:
            return None
        self.hit = True
        return page.respond(self.request, self.now)

    def finish(self, response: HttpResponse) -> HttpResponse:
        if self.hit:
            return response
        if self.mode in (Mode.PRIVATE, Mode.UNCACHED):
            add_never_cache_headers(response)
            return response
        if response.status_code != 200 or response.streaming or self.personal(response):
            return response
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(self.version.changed_at.timestamp())
        page = Page.from_response(response, self.expires_at)
        seconds = int(page.expires_at - self.now.timestamp())
        if self.mode is Mode.CACHED and seconds > 0:
            cache.set(self.key, page.compress(), seconds)
        return page.respond(self.request, self.now)

    def personal(self, response: HttpResponse) -> bool:
        """Whether the response carries something of this reader's: a cookie set here, or one
        the outer middleware will set (a CSRF token in the page, a changed session), or a CSP
        nonce the page used (Django's `LazyNonce` is true once generated): replayed, it would
        no longer match the policy each response gets."""
        session = getattr(self.request, "session", None)
        return bool(
            response.cookies
            or self.request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or (session is not None and session.modified)
            or getattr(self.request, "_csp_nonce", None)
        )


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        visit = getattr(request, "page_visit", None)
        return visit.finish(response) if visit else response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        page = public_page_of(view)
        if page is None or request.method not in ("GET", "HEAD"):
            return None
        request.page_visit = Visit.start(request, page)
        return request.page_visit.cached()
