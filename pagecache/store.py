"""A page as the cache keeps it: status, headers, and its body in each encoding, compressed
once when stored rather than on every request."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import re
from dataclasses import dataclass, field

import brotli
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

# Headers that are recomputed when a stored page is served (they depend on the time).
RECOMPUTED = {"cache-control", "x-accel-expires", "content-length", "content-encoding", "etag"}
_ACCEPT = re.compile(r"\s*([^;,\s]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?")
BROTLI_QUALITY = 5
GZIP_LEVEL = 6


def negotiate(request: HttpRequest) -> str:
    """ "br", "gzip" or "" (identity): the best encoding the client accepts."""
    accepted = {}
    for part in request.headers.get("Accept-Encoding", "").split(","):
        if match := _ACCEPT.match(part):
            name, quality = match.group(1).lower(), match.group(2)
            try:
                accepted[name] = float(quality) if quality else 1.0
            except ValueError:
                continue
    return next((name for name in ("br", "gzip") if accepted.get(name, 0) > 0), "")


@dataclass
class Page:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    expires_at: float  # a timestamp: when the page may start to differ
    etag: str = ""
    encoded: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def from_response(cls, response: HttpResponse, expires_at: datetime.datetime) -> Page:
        body = response.content
        headers = [(k, v) for k, v in response.items() if k.lower() not in RECOMPUTED]
        digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
        etag = response.get("ETag") or f'"{digest}"'
        return cls(response.status_code, headers, body, expires_at.timestamp(), etag)

    def compress(self) -> Page:
        """Keep the gzip and brotli bodies too: compressing once beats compressing per hit."""
        self.encoded = {
            "gzip": gzip.compress(self.body, GZIP_LEVEL, mtime=0),
            "br": brotli.compress(self.body, quality=BROTLI_QUALITY),
        }
        return self

    def respond(self, request: HttpRequest, now: datetime.datetime) -> HttpResponse:
        encoding = negotiate(request) if self.encoded else ""
        body = self.encoded[encoding] if encoding else self.body
        response = HttpResponse(status=self.status)
        for name, value in self.headers:
            response[name] = value
        if encoding:
            response["Content-Encoding"] = encoding
            # Same content, other bytes: only a weak validator says both.
            response["ETag"] = self.etag if self.etag.startswith("W/") else f"W/{self.etag}"
        else:
            response["ETag"] = self.etag
        response["Content-Length"] = str(len(body))
        response.content = b"" if request.method == "HEAD" else body
        self._cache_headers(response, now)
        return response

    def _cache_headers(self, response: HttpResponse, now: datetime.datetime) -> None:
        left = max(0, int(self.expires_at - now.timestamp()))
        patch_cache_control(
            response,
            public=True,
            max_age=min(settings.PAGE_MAX_AGE, left),
            stale_while_revalidate=settings.PAGE_STALE_SECONDS,
        )
        patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
        # nginx's own cache: until the page may change (a change of content changes its key).
        response["X-Accel-Expires"] = f"@{int(self.expires_at)}"
