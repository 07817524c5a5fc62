"""The site's one Markdown renderer: CommonMark + GFM, Pygments, MathML, then nh3.

`render()` is called once, when an entry is saved; its HTML is stored and templates only
print it. The pipeline, one module per step:

- `parser`: markdown-it-py with its plugins and render rules, built once at import;
- `limits`: the bounds that keep hostile input fast, and the author's warnings;
- `tokens`: one pass over the tokens (heading ids, table of contents, excerpt, word count,
  task lists, link and image attributes) between parsing and rendering;
- `code`: Pygments for code blocks; `maths`: latex2mathml for formulas;
- `sanitize`: the nh3 allow-list the rendered HTML goes through last.

docs/markdown.md describes the output of each feature and the limits. Nothing here reads
Django settings, so the package imports (and benchmarks) on its own.
"""

import logging
import math
import re
from dataclasses import dataclass
from html import escape

from content.markdown import tokens
from content.markdown.code import CODE_WRAPPER_CLASS
from content.markdown.limits import DEFAULT_LIMITS, Budget, Limits
from content.markdown.parser import md as _md
from content.markdown.sanitize import sanitize
from content.markdown.tokens import Heading

__all__ = [
    "CODE_WRAPPER_CLASS",
    "DEFAULT_LIMITS",
    "Heading",
    "Limits",
    "Rendered",
    "excerpt_of",
    "markdownify",
    "render",
    "sanitize",
]

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


def render(source: str, limits: Limits = DEFAULT_LIMITS) -> Rendered:
    """Render the author's Markdown. Never raises: a failure is a warning, not an error."""
    source = _clean(source)
    try:
        return _render(source, limits)
    except Exception:
        logger.exception("Markdown rendering failed")
        return _as_plain_text(
            source, "This text could not be rendered, so it is shown as plain text."
        )


def excerpt_of(source: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The excerpt `render()` would derive, from a parse alone (no highlighting, no maths)."""
    budget = Budget(limits)
    source = _within_size(_clean(source), limits, budget)
    try:
        return tokens.prepare(_md.parse(source, {"budget": budget}))[1]
    except Exception:  # as render() does: a failure is never the author's problem
        return ""


def markdownify(source: str) -> str:
    """The rendered HTML, led by the author's warnings: for django-markdownx's preview."""
    rendered = render(source)
    if not rendered.warnings:
        return rendered.html
    items = "".join(f"<li>{escape(warning)}</li>" for warning in rendered.warnings)
    return f'<div class="render-warnings" role="status"><ul>{items}</ul></div>\n{rendered.html}'


# C0 controls but tab and newline. A regex, not str.translate: translate maps through a
# dict character by character once the replacement is not ASCII, 12 times slower here.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f]")


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
    return _CONTROLS.sub("\ufffd", source)


def _within_size(source: str, limits: Limits, budget: Budget) -> str:
    """`source` cut to the size limits, with a warning for each cut."""
    if len(source) > limits.source_chars:
        budget.warn(
            f"The text is longer than {limits.source_chars:,} characters: the rest is cut off."
        )
        source = source[: limits.source_chars]
    if source.count("\n") >= limits.source_lines:
        budget.warn(f"The text is longer than {limits.source_lines:,} lines: the rest is cut off.")
        source = "\n".join(source.split("\n", limits.source_lines)[: limits.source_lines])
    return source


def _render(source: str, limits: Limits) -> Rendered:
    budget = Budget(limits)
    source = _within_size(source, limits, budget)
    env = {"budget": budget}
    parsed = _md.parse(source, env)
    toc, excerpt, words = tokens.prepare(parsed)
    html = _md.renderer.render(parsed, _md.options, env)
    if html.count("&amp;") > limits.ampersands:
        return _as_plain_text(
            source, f'The text has more than {limits.ampersands:,} "&" characters: shown as plain.'
        )
    warnings = budget.warnings
    if len(warnings) > limits.warnings:
        warnings[limits.warnings :] = [f"… and {len(warnings) - limits.warnings} more warnings."]
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
