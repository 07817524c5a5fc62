"""Fenced and indented code: Pygments, with its lexers looked up once, and a cache."""

import re
from functools import lru_cache
from html import escape

import pygments
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.util import ClassNotFound

from content.markdown.limits import Budget

CODE_WRAPPER_CLASS = "codeblock"  # the stylesheets from `build_code_css` are scoped to it
PLAIN_LANGUAGES = frozenset({"text", "txt", "plain", "plaintext", "none", "nohighlight"})

# A line longer than this may not fit a 320 px phone: its block may scroll sideways, so it is
# made a named tab stop (keyboard users can scroll it). The site's script then keeps the tab
# stop only where the block really overflows at the reader's width.
SCROLL_CHARS = 30

# The editor's live preview re-renders the same blocks on every keystroke; blocks up to this
# size are cached (256 x 20 kB at most).
CACHED_BLOCK_CHARS = 20_000


@lru_cache(maxsize=1)
def lexer_aliases() -> frozenset[str]:
    # A set lookup turns an unknown language away at once; get_lexer_by_name scans every
    # lexer for it (~50 µs, which a post with thousands of made-up languages would multiply).
    return frozenset(alias for _, aliases, _, _ in get_all_lexers() for alias in aliases)


@lru_cache(maxsize=256)
def lexer(name: str) -> Lexer | None:
    if name not in lexer_aliases():
        return None
    try:
        # stripnl=False: Pygments would drop the blank lines at the edges of the code, and
        # a code block shows exactly what is between its fences (CommonMark).
        return get_lexer_by_name(name, stripnl=False)
    except ClassNotFound:  # pragma: no cover - every alias names a lexer
        return None


_formatter = HtmlFormatter(nowrap=True)
# Whitespace tokens get <span class="w"> that no style colours: a fifth of the markup, which
# nh3 would then have to parse.
_WHITESPACE_SPAN = re.compile(r'<span class="w">(\s*)</span>')


def highlight(code: str, language: str) -> str:
    body = _WHITESPACE_SPAN.sub(r"\1", pygments.highlight(code, lexer(language), _formatter))
    # Pygments ends its output with a newline even when the code has none (an empty block).
    return body if code.endswith("\n") else body.removesuffix("\n")


highlight_cached = lru_cache(maxsize=256)(highlight)


def codeblock(code: str, info: str, line: int, env: dict) -> str:
    budget: Budget = env["budget"]
    language = info.split(maxsplit=1)[0] if info.strip() else ""
    key = language.lower()
    found = lexer(key) if key and key not in PLAIN_LANGUAGES else None
    if language and found is None and key not in PLAIN_LANGUAGES:
        budget.warn(f'Unknown code language "{language[:40]}" on line {line}: shown as plain text.')
    if found is not None:
        budget.highlight_left -= len(code)
        if budget.highlight_left < 0:
            found = None
            budget.warn_once(
                "highlight",
                f"From line {line} on, code is not highlighted: the text has more than "
                f"{budget.limits.highlight_chars:,} characters of code.",
            )
    if found is None:
        return (
            f'<div class="{CODE_WRAPPER_CLASS}"><pre class="highlight"{scroll_box(code, "Code")}>'
            f"<code>{escape(code)}</code></pre></div>\n"
        )
    highlighted = (highlight_cached if len(code) <= CACHED_BLOCK_CHARS else highlight)(code, key)
    name = escape(found.name)
    return (
        f'<div class="{CODE_WRAPPER_CLASS}" data-lang="{escape(found.aliases[0])}">'
        f'<div class="codeblock-lang">{name}</div>'
        f'<pre class="highlight"{scroll_box(code, f"{name} code")}>'
        f"<code>{highlighted}</code></pre></div>\n"
    )


def scroll_box(text: str, label: str, width: int = SCROLL_CHARS) -> str:
    """The attributes of a box that may scroll: a named tab stop; none when `text` fits."""
    if max((len(line.expandtabs(4)) for line in text.splitlines()), default=0) <= width:
        return ""
    return f' tabindex="0" role="group" aria-label="{label}"'
