"""A page's title and description, read from its HTML head (Open Graph first)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

TITLE_CHARS = 200
DESCRIPTION_CHARS = 500
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def _clean(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.in_title = False
        self.title_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.title_done:
            self.in_title = True
        elif tag == "meta":
            values = {name: value or "" for name, value in attrs}
            key = (values.get("property") or values.get("name") or "").strip().lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.in_title:
            self.in_title, self.title_done = False, True

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str

    @classmethod
    def parse(cls, body: bytes, encoding: str = "") -> PageMeta:
        """og:title, twitter:title or <title>; og:description or the meta description.

        The encoding is the one the server declared, else a <meta charset>, else UTF-8;
        undecodable bytes are replaced rather than failing the whole page.
        """
        if not encoding and (found := META_CHARSET.search(body[:4096])):
            encoding = found.group(1).decode("ascii", "replace")
        try:
            text = body.decode(encoding or "utf-8", errors="replace")
        except LookupError:
            text = body.decode("utf-8", errors="replace")
        parser = _HeadParser()
        parser.feed(text)
        parser.close()
        meta = parser.meta
        title = meta.get("og:title") or meta.get("twitter:title") or "".join(parser.title_parts)
        description = (
            meta.get("og:description")
            or meta.get("description")
            or meta.get("twitter:description")
            or ""
        )
        return cls(_clean(title, TITLE_CHARS), _clean(description, DESCRIPTION_CHARS))
