"""GFM strikethrough as GitHub renders it: `~one~` or `~~two~~`; three tildes or more are text.

cmark-gfm pairs a closing run of tildes with the nearest opening one under emphasis's "rule
of 3", and strikes only when both runs are as long; a pair of unequal runs is dropped and
both stay text. markdown-it-py's single-tilde mode turns the rule of 3 off (delimiter
length 0), so in `~~a~a~` it pairs the middle `~` with `~~` and strikes nothing, where
GitHub strikes the second "a". Here the delimiters carry their length.
"""

from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter

_TILDE = 0x7E


def tokenize(state: StateInline, silent: bool) -> bool:
    if silent or state.src[state.pos] != "~":
        return False
    scanned = state.scanDelims(state.pos, True)
    token = state.push("text", "", 0)
    token.content = "~" * scanned.length
    if scanned.length <= 2:
        state.delimiters.append(
            Delimiter(
                marker=_TILDE,
                length=scanned.length,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _strike(state: StateInline, delimiters: list[Delimiter]) -> None:
    for delimiter in delimiters:
        if delimiter.marker != _TILDE or delimiter.end == -1:
            continue
        opening = state.tokens[delimiter.token]
        closing = state.tokens[delimiters[delimiter.end].token]
        if opening.content != closing.content:
            continue
        for token, nesting in ((opening, 1), (closing, -1)):
            token.type = "s_open" if nesting == 1 else "s_close"
            token.tag, token.nesting, token.markup = "s", nesting, token.content
            token.content = ""


def post_process(state: StateInline) -> None:
    _strike(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _strike(state, meta["delimiters"])
