"""The limits that keep any input, however hostile, to a couple of seconds; and the warnings.

markdown-it-py costs up to ~50 µs a line on block-dense text, Pygments ~5 µs a character of
code, latex2mathml ~70 µs a formula. Each limit below is many times what a long post needs;
what passes one is shown as plain text, with a warning. All are deterministic: no timers, so
the same source always renders the same way.

`render(source, limits)` takes a `Limits` (the defaults unless told otherwise) and hands one
document's allowance to the rules as a `Budget`.
"""

import re
from dataclasses import dataclass, field

from markdown_it.rules_core import StateCore
from markdown_it.token import Token


@dataclass(frozen=True)
class Limits:
    source_chars: int = 1_000_000
    source_lines: int = 25_000
    inline_cost: int = 3_000_000  # cost units of inline parsing, see inline_within_budget
    highlight_chars: int = 100_000  # of code per document; Pygments does ~5 µs a character
    formulas: int = 5_000  # per document; latex2mathml takes ~70 µs for each
    latex_chars: int = 5_000  # per formula
    ampersands: int = 100_000  # html5ever slows down quadratically on "&" in one text node
    html_tags: int = 5_000  # of raw HTML; html5ever is quadratic in the nesting of <div>s
    warnings: int = 20


DEFAULT_LIMITS = Limits()


@dataclass(eq=False)
class Budget:
    """One document's allowance, and the warnings for its author.

    It travels in markdown-it's `env` (as `env["budget"]`), which every parse and render
    rule receives.
    """

    limits: Limits
    highlight_left: int = field(init=False)
    formulas_left: int = field(init=False)
    html_tags_left: int = field(init=False)
    warnings: list[str] = field(default_factory=list)
    warned_keys: set[str] = field(default_factory=set)
    line: int = 1  # where the text being parsed inline starts, for inline rules' warnings

    def __post_init__(self) -> None:
        self.highlight_left = self.limits.highlight_chars
        self.formulas_left = self.limits.formulas
        self.html_tags_left = self.limits.html_tags

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def warn_once(self, key: str, message: str) -> None:
        """Warn once per document under `key` (a limit, a tag), however often it recurs."""
        if key not in self.warned_keys:
            self.warned_keys.add(key)
            self.warnings.append(message)


# Inline parsing is where hostile text is slow: markdown-it-py spends ~10 µs on each "[" of
# "[[[[…", against ~0.3 µs on a letter. This deterministic cost model (a token overhead, the
# characters, and punctuation weighted by its cost) caps the work per document at about a
# second; a real post uses a few per cent of it. Past the budget, paragraphs are plain text.
_COSTLY = re.compile(r"[\[\]!<>&_*`$\\~|:@.]")


def inline_within_budget(state: StateCore) -> None:
    """markdown-it's core "inline" rule, with the budget above."""
    budget: Budget = state.env["budget"]
    left = budget.limits.inline_cost
    line = 1
    for token in state.tokens:
        if token.map:
            line = token.map[0] + 1
        if token.type != "inline":
            continue
        content = token.content
        left -= 64 + len(content)
        if left >= 0:
            left -= 40 * len(_COSTLY.findall(content))
        if left >= 0:
            budget.line = line
            token.children = []
            state.md.inline.parse(content, state.md, state.env, token.children)
            continue
        # text_join makes it plain text; "plain" keeps the e-mail autolinker off it.
        token.children = [Token("text_special", "", 0, content=content)]
        token.meta["plain"] = True
        budget.warn_once(
            "inline",
            f"From line {line} on, the text is too long or too dense with Markdown "
            "punctuation to format: it is shown as plain text.",
        )
