"""The limits that keep any input, however hostile, to a couple of seconds; and the warnings.

markdown-it-py costs up to ~50 µs a line on block-dense text, Pygments ~5 µs a character of
code, latex2mathml ~70 µs a formula. Each limit below is many times what a long post needs;
what passes one is shown as plain text, with a warning. All are deterministic: no timers, so
the same source always renders the same way.

`render()` reads these constants afresh on every call (from `site_project.markdown`, which
re-exports them) and hands one document's allowance to the rules as a `Budget`.
"""

import re
from dataclasses import dataclass, field

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MAX_SOURCE_CHARS = 1_000_000
MAX_SOURCE_LINES = 25_000
INLINE_BUDGET = 3_000_000  # cost units of inline parsing, see inline_within_budget
MAX_HIGHLIGHT_CHARS = 100_000  # of code per document; Pygments does ~5 µs a character
MAX_FORMULAS = 5_000  # per document; latex2mathml takes ~70 µs for each
MAX_LATEX_CHARS = 5_000  # per formula
MAX_AMPERSANDS = 100_000  # html5ever slows down quadratically on "&" within one text node
MAX_WARNINGS = 20


@dataclass(eq=False)
class Budget:
    """One document's allowance, and the warnings for its author.

    It travels in markdown-it's `env` (as `env["budget"]`), which every parse and render
    rule receives.
    """

    highlight_chars: int
    formulas: int
    latex_chars: int
    inline_cost: int
    highlight_left: int = field(init=False)
    formulas_left: int = field(init=False)
    warnings: list[str] = field(default_factory=list)
    limits_reached: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.highlight_left = self.highlight_chars
        self.formulas_left = self.formulas

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def warn_once(self, limit: str, message: str) -> None:
        """Warn about a limit once per document, however many times it is reached."""
        if limit not in self.limits_reached:
            self.limits_reached.add(limit)
            self.warnings.append(message)


# Inline parsing is where hostile text is slow: markdown-it-py spends ~10 µs on each "[" of
# "[[[[…", against ~0.3 µs on a letter. This deterministic cost model (a token overhead, the
# characters, and punctuation weighted by its cost) caps the work per document at about a
# second; a real post uses a few per cent of it. Past the budget, paragraphs are plain text.
_COSTLY = re.compile(r"[\[\]!<>&_*`$\\~|:@.]")


def inline_within_budget(state: StateCore) -> None:
    """markdown-it's core "inline" rule, with the budget above."""
    budget: Budget = state.env["budget"]
    left = budget.inline_cost
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
            token.children = []
            state.md.inline.parse(content, state.md, state.env, token.children)
            continue
        # text_special: linkify skips it; the text_join rule makes it plain text.
        token.children = [Token("text_special", "", 0, content=content)]
        budget.warn_once(
            "inline",
            f"From line {line} on, the text is too long or too dense with Markdown "
            "punctuation to format: it is shown as plain text.",
        )
