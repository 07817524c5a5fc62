"""The site's one Markdown renderer: CommonMark + GFM, Pygments, MathML, then nh3.

`render()` is called once, when an entry is saved; its HTML is stored and templates only
print it. The pipeline, one module per step:

- `parser`: markdown-it-py with its plugins and render rules, built once at import;
- `limits`: the bounds that keep hostile input fast, and the author's warnings;
- `tokens`: one pass over the tokens (heading ids, table of contents, excerpt, word count,
  task lists, link and image attributes) between parsing and rendering;
- `code`: Pygments for code blocks; `maths`: latex2mathml for formulas;
- `site_project.sanitize`: the nh3 allow-list the rendered HTML goes through last.

docs/markdown.md describes the output of each feature and the limits. Nothing here reads
Django settings, so the package imports (and benchmarks) on its own.
"""

import logging
import math
from dataclasses import dataclass
from html import escape

from site_project.markdown.code import CODE_WRAPPER_CLASS
from site_project.markdown.limits import (
    INLINE_BUDGET,
    MAX_AMPERSANDS,
    MAX_FORMULAS,
    MAX_HIGHLIGHT_CHARS,
    MAX_LATEX_CHARS,
    MAX_SOURCE_CHARS,
    MAX_SOURCE_LINES,
    MAX_WARNINGS,
    Budget,
)
from site_project.markdown.maths import mathml as _mathml  # noqa: F401 - tests clear its cache
from site_project.markdown.parser import md as _md
from site_project.markdown.tokens import Heading
from site_project.markdown.tokens import prepare as _prepare  # looked up here: tests patch it
from site_project.sanitize import sanitize

__all__ = ["CODE_WRAPPER_CLASS", "Heading", "Rendered", "markdownify", "render", "sanitize"]

logger = logging.getLogger(__name__)

WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[Heading, ...]
    excerpt: str
    word_count: int
    reading_time: int
    warnings: tuple[str, ...]


def render(source: str) -> Rendered:
    """Render the author's Markdown. Never raises: a failure is a warning, not an error."""
    source = _clean(source)
    try:
        return _render(source)
    except Exception:
        logger.exception("Markdown rendering failed")
        return _as_plain_text(
            source, "This text could not be rendered, so it is shown as plain text."
        )


def markdownify(source: str) -> str:
    """The rendered HTML, led by the author's warnings: for django-markdownx's preview."""
    rendered = render(source)
    if not rendered.warnings:
        return rendered.html
    items = "".join(f"<li>{escape(warning)}</li>" for warning in rendered.warnings)
    return f'<div class="render-warnings" role="status"><ul>{items}</ul></div>\n{rendered.html}'


_CONTROLS = {code: "\ufffd" for code in range(32) if chr(code) not in "\t\n"}


def _clean(source: str) -> str:
    # Lone surrogates cannot be encoded and PostgreSQL refuses NUL: both are replaced, as
    # markdown-it would. Line endings are normalised too, so that lines can be counted.
    source = str(source or "")
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        source = source.encode("utf-8", "replace").decode("utf-8")
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    # Other C0 controls (NUL included) are invalid in XML feeds and useless in text.
    return source.translate(_CONTROLS)


def _render(source: str) -> Rendered:
    # The limits are read from this module at each call, not bound when the submodules are
    # imported, so that lowering `site_project.markdown.MAX_…` (as tests do) takes effect.
    budget = Budget(
        highlight_chars=MAX_HIGHLIGHT_CHARS,
        formulas=MAX_FORMULAS,
        latex_chars=MAX_LATEX_CHARS,
        inline_cost=INLINE_BUDGET,
    )
    if len(source) > MAX_SOURCE_CHARS:
        budget.warn(
            f"The text is longer than {MAX_SOURCE_CHARS:,} characters: the rest is cut off."
        )
        source = source[:MAX_SOURCE_CHARS]
    if source.count("\n") >= MAX_SOURCE_LINES:
        budget.warn(f"The text is longer than {MAX_SOURCE_LINES:,} lines: the rest is cut off.")
        source = "\n".join(source.split("\n", MAX_SOURCE_LINES)[:MAX_SOURCE_LINES])
    env = {"budget": budget}
    tokens = _md.parse(source, env)
    toc, excerpt, words = _prepare(tokens)
    html = _md.renderer.render(tokens, _md.options, env)
    if html.count("&amp;") > MAX_AMPERSANDS:
        return _as_plain_text(
            source, f'The text has more than {MAX_AMPERSANDS:,} "&" characters: shown as plain.'
        )
    warnings = budget.warnings
    if len(warnings) > MAX_WARNINGS:
        warnings[MAX_WARNINGS:] = [f"… and {len(warnings) - MAX_WARNINGS} more warnings."]
    return Rendered(
        html=sanitize(html),
        toc=toc,
        excerpt=excerpt,
        word_count=words,
        reading_time=_reading_time(words),
        warnings=tuple(warnings),
    )


def _as_plain_text(source: str, warning: str) -> Rendered:
    # Safe without nh3: escape() leaves no markup at all.
    words = len(source.split())
    return Rendered(
        html=f"<pre>{escape(source)}</pre>",
        toc=(),
        excerpt="",
        word_count=words,
        reading_time=_reading_time(words),
        warnings=(warning,),
    )


def _reading_time(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
