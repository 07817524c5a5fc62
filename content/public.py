"""Public pages: what every anonymous reader gets alike, so that caches may keep it.

A view marked here promises that, for readers who are not signed in, its GET response depends
only on the URL's path and the query parameters it names. The page cache (`pagecache`) and
the proxy in front rely on that promise; nothing in this layer caches anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest


@dataclass(frozen=True)
class PublicPage:
    # The parameters the page depends on; others (?utm_source=…) change nothing.
    params: tuple[str, ...] = ("page",)
    # Parameters whose presence makes an answer too particular to keep (search filters).
    uncached_params: tuple[str, ...] = ()

    def cacheable(self, request: HttpRequest) -> bool:
        return not any(name in request.GET for name in self.uncached_params)

    def variant(self, request: HttpRequest) -> str:
        """The query string that matters, in a stable order."""
        return urlencode([(name, request.GET.getlist(name)) for name in self.params], doseq=True)


def public_page(
    params: tuple[str, ...] = ("page",), uncached_params: tuple[str, ...] = ()
) -> Callable[[Callable], Callable]:
    """Mark a function view public (class-based views set a `public_page` attribute)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def public_view(*args, **kwargs):
            return view(*args, **kwargs)

        public_view.public_page = PublicPage(params, uncached_params)
        return public_view

    return decorate


def public_page_of(view: Callable) -> PublicPage | None:
    """The marking of a resolved view, function or class-based."""
    view_class = getattr(view, "view_class", None)
    return getattr(view, "public_page", None) or getattr(view_class, "public_page", None)
