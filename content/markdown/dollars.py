"""Inline maths between dollars, and the dollars that stay text.

Pandoc's rules, one stricter (mdit-py-plugins' dollarmath rule with one more test):

- no space just inside the dollars, and no digit just before the opening one;
- the first unescaped `$` after the opening one is the only candidate to close it;
- a closing `$` followed by a letter, a digit or an underscore does not close maths.

So prices (`$5 and $10`, `US$5`) and shell variables (`cp $SRC/$DEST`, `echo $FOO$BAR`,
`$PATH:$HOME`) stay text, and `$e^{i\\pi}+1=0$`, `$x$` or `$a_1$` are maths. Where dollars
stay text only because of the last rule and what they hold looks like maths (`the $n$th
term`), the author is warned and told the way to force maths, GitHub's $`…`$.
`$$…$$` inside a paragraph is display maths, under the same rules.
"""

import re

from markdown_it.rules_inline import StateInline

from content.markdown.limits import Budget

# A LaTeX command, a superscript, a one-character subscript, or one letter (and a digit).
_LOOKS_LIKE_MATHS = re.compile(
    r"\\[A-Za-z]+|\^|[A-Za-z0-9}]_(?:\{|[A-Za-z0-9](?![A-Za-z0-9]))|^[A-Za-z]\d?$"
)


_TICKS = re.compile("`+")
_WORD = re.compile(r"\w*")


def _escaped(src: str, pos: int) -> bool:
    backslashes = 0
    while pos > backslashes and src[pos - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _joins_a_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _push(state: StateInline, content: str, double: bool, end: int) -> bool:
    token = state.push("math_inline_double" if double else "math_inline", "math", 0)
    token.content = content
    token.markup = "$$" if double else "$"
    state.pos = end
    return True


def _backticks(state: StateInline, silent: bool) -> bool:
    """$`…`$ (any number of backticks, as many on each side): maths whatever surrounds it."""
    src, start = state.src, state.pos + 1
    ticks = _TICKS.match(src, start).end() - start
    fence = src[start : start + ticks] + "$"
    # Where a fence of this length was last looked for in vain: looking again from there or
    # later would scan to the end again, which "$`" repeated would make quadratic.
    missing: dict[int, int] = state.__dict__.setdefault("missing_math_fences", {})
    if start >= missing.get(ticks, len(src) + 1):
        return False
    close = src.find(fence, start + ticks, state.posMax)
    while close > 0 and src[close - 1] == "`":  # a longer run of backticks is not the fence
        close = src.find(fence, close + 1, state.posMax)
    if close < 0:
        missing[ticks] = start
        return False
    content, end = src[start + ticks : close], close + len(fence)
    if not content.strip():
        return False
    if silent:
        state.pos = end
        return True
    return _push(state, content, False, end)


def math_inline(state: StateInline, silent: bool) -> bool:
    src, pos, end_of_text = state.src, state.pos, state.posMax
    if src[pos] != "$" or pos + 1 >= end_of_text or _escaped(src, pos):
        return False
    if src[pos + 1] == "`":
        return _backticks(state, silent)
    if src[pos + 1].isspace() or (pos > 0 and src[pos - 1].isdigit()):
        return False
    double = src[pos + 1] == "$"
    start = pos + (2 if double else 1)
    close = start
    while True:
        close = src.find("$$" if double else "$", close, end_of_text)
        if close < 0:
            return False
        if not _escaped(src, close):
            break
        close += 1
    after = close + (2 if double else 1)
    content = src[start:close]
    if not content or content[-1].isspace():
        return False
    if after < end_of_text and _joins_a_word(src[after]):
        if not silent and _LOOKS_LIKE_MATHS.search(content):
            _warn(state, src[pos : _WORD.match(src, after).end()], content, pos)
        return False
    if silent:
        state.pos = after
        return True
    return _push(state, content, double, after)


def _warn(state: StateInline, shown: str, content: str, pos: int) -> None:
    budget: Budget = state.env["budget"]
    line = budget.line + state.src.count("\n", 0, pos)
    if len(shown) > 40:
        shown = shown[:39] + "…"
    forced = f"$`{content}`$" if len(content) <= 30 else "$`…`$"
    budget.warn(
        f'Dollars left as text on line {line}: "{shown}". A closing $ followed by a letter, '
        f"digit or underscore does not end maths; for maths there, write {forced}."
    )
