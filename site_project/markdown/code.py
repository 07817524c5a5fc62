"""Fenced and indented code: Pygments lexers, our own small HTML formatter, and the caches."""

from collections.abc import Iterable
from functools import cache, lru_cache
from html import escape

from pygments.lexer import Lexer
from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.token import STANDARD_TYPES, _TokenType
from pygments.util import ClassNotFound

from site_project.markdown.limits import Budget

CODE_WRAPPER_CLASS = "codeblock"  # the stylesheets from `build_code_css` are scoped to it
PLAIN_LANGUAGES = frozenset({"text", "txt", "plain", "plaintext", "none", "nohighlight"})

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
        return get_lexer_by_name(name)
    except ClassNotFound:  # pragma: no cover - every alias names a lexer
        return None


def _short_class(ttype: _TokenType) -> str:
    name = STANDARD_TYPES.get(ttype)
    suffix = ""
    while name is None:  # a lexer's own subtype: "n-Foo" under Name
        suffix = f"-{ttype[-1]}{suffix}"
        ttype = ttype.parent
        name = STANDARD_TYPES.get(ttype)
    return name + suffix


@cache
def _css_class(ttype: _TokenType) -> str:
    """The class HtmlFormatter gives a token type: "k", "nf", or "n n-Foo" for a subtype."""
    classes = [_short_class(ttype)]
    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent
        classes.insert(0, _short_class(ttype))
    return " ".join(classes)


def _span(css_class: str, text: str) -> str:
    text = escape(text, quote=False)
    # Whitespace tokens would get <span class="w"> that no style colours: a fifth of the
    # markup, which nh3 would then have to parse.
    if not css_class or (css_class == "w" and text.isspace()):
        return text
    return f'<span class="{css_class}">{text}</span>'


def _format(tokens: Iterable[tuple[_TokenType, str]]) -> str:
    """The markup of HtmlFormatter(nowrap=True), less the whitespace spans, in one pass.

    Pygments' formatter goes through generators, a StringIO and a line buffer, and the
    whitespace spans then took a regex pass; this is about twice as fast for the same bytes.
    As in Pygments, a span never crosses a line end, and consecutive tokens of one class on
    a line share one span.
    """
    out: list[str] = []
    run: list[str] = []  # the text of the span being built
    run_class = ""
    for ttype, value in tokens:
        css_class = _css_class(ttype)
        lines = value.split("\n") if "\n" in value else (value,)
        for i, part in enumerate(lines):
            if i:
                if run:
                    out.append(_span(run_class, "".join(run)))
                    run = []
                out.append("\n")
            if not part:
                continue
            if run and css_class != run_class:
                out.append(_span(run_class, "".join(run)))
                run = []
            run_class = css_class
            run.append(part)
    if run:
        out.append(_span(run_class, "".join(run)))
    return "".join(out).removesuffix("\n")


def highlight(code: str, language: str) -> str:
    return _format(lexer(language).get_tokens(code))


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
                f"{budget.highlight_chars:,} characters of code.",
            )
    if found is None:
        return (
            f'<div class="{CODE_WRAPPER_CLASS}"><pre class="highlight"><code>'
            f"{escape(code.removesuffix(chr(10)))}</code></pre></div>\n"
        )
    highlighted = (highlight_cached if len(code) <= CACHED_BLOCK_CHARS else highlight)(code, key)
    return (
        f'<div class="{CODE_WRAPPER_CLASS}" data-lang="{escape(found.aliases[0])}">'
        f'<div class="codeblock-lang">{escape(found.name)}</div>'
        f'<pre class="highlight"><code>{highlighted}</code></pre></div>\n'
    )
