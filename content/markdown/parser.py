"""The markdown-it-py instance: its syntax, plugins and render rules, built once at import.

The render rules are only those whose output differs from markdown-it's own: code blocks,
maths, headings (the anchor link), tables (a scrolling wrapper) and the footnote back-link.
"""

import re
from html import escape, unescape

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from content.markdown.code import codeblock, scroll_box
from content.markdown.limits import inline_within_budget
from content.markdown.maths import SCROLL_GLYPHS, math

_TAG = re.compile(r"<[^>]*>")


def _line(token: Token) -> int:
    return token.meta.get("line", 0)


def _render_fence(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.info.strip().lower() == "math":
        return _render_math_block(self, tokens, idx, options, env)
    return codeblock(token.content, token.info, _line(token), env)


def _render_code_block(self, tokens, idx, options, env) -> str:
    return codeblock(tokens[idx].content, "", _line(tokens[idx]), env)


def _render_math_inline(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return math(token.content, False, _line(token), env, label=token.meta.get("label", False))


def _render_math_inline_double(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return math(token.content, True, _line(token), env, label=token.meta.get("label", False))


def _render_math_block(self, tokens, idx, options, env) -> str:
    inner = math(tokens[idx].content, True, _line(tokens[idx]), env)
    # Like a long code line, a wide formula may scroll on a phone: then it is a named tab stop.
    glyphs = unescape(_TAG.sub("", inner))
    box = scroll_box(glyphs, "Formula", width=SCROLL_GLYPHS)
    return f'<div class="math-display"{box}>{inner}</div>\n'


def _render_heading_close(self, tokens, idx, options, env) -> str:
    anchor_id = escape(tokens[idx].meta["id"])
    return (
        f' <a class="heading-anchor" href="#{anchor_id}" aria-label="Link to this section">#</a>'
        f"</{tokens[idx].tag}>\n"
    )


def _render_table_open(self, tokens, idx, options, env) -> str:
    return '<div class="table-wrap"><table>\n'


def _render_table_close(self, tokens, idx, options, env) -> str:
    return "</table></div>\n"


class _Linkify(LinkifyIt):
    """linkify-it, skipping at once the text that cannot hold a link we keep.

    Only links with a scheme, "www." links and e-mail addresses are kept (see
    `tokens._wanted_autolink`), so text without "://", "www." or "@" needs no regex search;
    this halves parsing time on a typical post.
    """

    @staticmethod
    def _may_link(text: str) -> bool:
        return "://" in text or "@" in text or "www." in text.lower()

    def pretest(self, text: str) -> bool:
        return self._may_link(text) and super().pretest(text)

    def test(self, text: str) -> bool:
        return self._may_link(text) and super().test(text)


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "xhtmlOut": False})
    md.linkify = _Linkify()
    md.core.ruler.at("inline", inline_within_budget)
    md.enable(["table", "strikethrough", "linkify"])
    # With html=False these two rules only return False, but the block one is tried on
    # every line: disabled, they cost nothing (~3% of parsing).
    md.disable(["html_block", "html_inline"])
    md.use(footnote_plugin)
    # No space just inside the dollars and no digit after the closing one: "$5 and $10"
    # stays prose. A $$ block stops at a blank line, so a missing $$ cannot eat the page.
    md.use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
    )
    footnote_anchor = md.renderer.rules["footnote_anchor"]
    rules = {
        "fence": _render_fence,
        "code_block": _render_code_block,
        "math_inline": _render_math_inline,
        "math_inline_double": _render_math_inline_double,
        "math_block": _render_math_block,
        "heading_close": _render_heading_close,
        "table_open": _render_table_open,
        "table_close": _render_table_close,
        "footnote_anchor": lambda self, *args: footnote_anchor(*args).replace(
            'class="footnote-backref"', 'class="footnote-backref" aria-label="Back to content"'
        ),
    }
    for name, rule in rules.items():
        md.add_render_rule(name, rule)
    return md


md = _build()
