"""Open Graph cards: the 1200×630 image a shared link shows, drawn on the server with Pillow.

Every item, every tag and the site itself has one, made from the site's name, the title and
the kind. A card's URL carries a hash of what is drawn on it (`Card.version`), so a new
title makes a new URL that social sites fetch afresh; the PNG is drawn once per version and
kept on disk under MEDIA_ROOT/cards/. The font is DejaVu Sans, shipped in fonts/ with its
licence, because a fresh machine or container may have no fonts at all.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
# Part of every card's version: change it when the drawing changes, so every card is redrawn.
DESIGN = "2026-12-1"
FONTS = Path(__file__).resolve().parent / "fonts"
BG, FG, MUTED, ACCENT, RULE = "#fdfdfc", "#1d1d1f", "#5f6368", "#0b57d0", "#e3e3e0"
MARGIN = 80
TITLE_SIZES = (68, 60, 52, 46)  # the largest at which the title fits in MAX_LINES
MAX_LINES = 4


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / f"DejaVuSans{'-Bold' if bold else ''}.ttf"), size)


@dataclass(frozen=True)
class Card:
    """What a card shows. `kind` and `slug` name its URL: an app label ("posts"), "tags", or
    "site" for the home page's."""

    kind: str
    slug: str
    label: str  # the small line above the title: "Post", "Tag", or the site's description
    title: str

    @property
    def version(self) -> str:
        text = "\0".join([DESIGN, settings.SITE_NAME, settings.SITE_URL, self.label, self.title])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def url(self) -> str:
        args = {"kind": self.kind, "slug": self.slug, "version": self.version}
        return reverse("card_image", kwargs=args)

    @property
    def alt(self) -> str:
        if self.kind == "site":
            return f"{self.title}: {self.label}"
        return f"{self.label} on {settings.SITE_NAME}: {self.title}"

    def png(self) -> bytes:
        """The image, drawn on first use and then read from disk."""
        path = Path(settings.MEDIA_ROOT) / "cards" / f"{self.version}.png"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
        data = draw(self)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a concurrent request never reads half a file.
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, path)
        return data


def card_of(subject: object = None) -> Card:
    """The card of an item (a `Publishable`), of a `Tag`, or of the site (None)."""
    if subject is None:
        return Card("site", "home", settings.SITE_DESCRIPTION, settings.SITE_NAME)
    opts = subject._meta
    if opts.model_name == "tag":
        return Card("tags", subject.slug, "Tag", f"#{subject.name}")
    return Card(opts.app_label, subject.slug, str(opts.verbose_name).capitalize(), subject.title)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy line breaking at spaces; a word wider than a line is cut where it must be."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if face.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while face.getlength(word) > width:
            cut = max(i for i in range(1, len(word) + 1) if face.getlength(word[:i]) <= width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def fit_title(text: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which `text` fits in MAX_LINES, else the smallest, shortened."""
    for size in TITLE_SIZES:
        face = font(size, bold=True)
        lines = wrap(text, face, width)
        if len(lines) <= MAX_LINES:
            return face, lines
    lines = lines[:MAX_LINES]
    last = lines[-1]
    while last and face.getlength(last + "…") > width:
        last = last[:-1]
    lines[-1] = last.rstrip(" ,;:.-") + "…"
    return face, lines


def draw(card: Card) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BG)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)
    text_width = WIDTH - 2 * MARGIN
    site = card.kind == "site"
    # The site's name at the top (the site's own card has it as its title, its description
    # below), the kind above the title, a rule and the address at the bottom.
    if not site:
        pen.text((MARGIN, 64), settings.SITE_NAME, font=font(36, bold=True), fill=ACCENT)
    face, lines = fit_title(card.title, text_width)
    line_height = round(face.size * 1.22)
    label_face = font(34 if site else 30)
    label = wrap(card.label, label_face, text_width)[:3] if card.label else []
    label_height = len(label) * round(label_face.size * 1.45) + (24 if label else 0)
    top = 64 if site else 150
    y = top + max(0, (HEIGHT - top - 110 - label_height - len(lines) * line_height) // 2)
    blocks = [
        (lines, face, FG, line_height),
        (label, label_face, MUTED, round(label_face.size * 1.45)),
    ]
    for texts, face_, colour, height in reversed(blocks) if not site else blocks:
        for text in texts:
            pen.text((MARGIN, y), text, font=face_, fill=colour)
            y += height
        y += 24
    pen.line((MARGIN, HEIGHT - 100, WIDTH - MARGIN, HEIGHT - 100), fill=RULE, width=2)
    domain = settings.SITE_URL.split("://", 1)[-1]
    pen.text((MARGIN, HEIGHT - 80), domain, font=font(28), fill=MUTED)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
