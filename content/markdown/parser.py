"""The markdown-it-py instance: its syntax, plugins and render rules, built once at import.

The render rules are only those whose output differs from markdown-it's own: code blocks,
maths, headings (the anchor link), tables (a scrolling wrapper), the footnote back-link, and
raw HTML (the same markup, with a warning for the tags the sanitiser will remove).
"""

import re
from html import escape, unescape

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from content.markdown import autolink, dollars, strikethrough
from content.markdown.code import codeblock, scroll_box
from content.markdown.limits import inline_within_budget
from content.markdown.maths import SCROLL_GLYPHS, math
from content.markdown.raw_html import check as check_raw_html

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


def _render_html(self, tokens, idx, options, env) -> str:
    return check_raw_html(tokens[idx].content, _line(tokens[idx]), env)


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


def _build() -> MarkdownIt:
    # Raw HTML is parsed as CommonMark says and left to the sanitiser's allow-list.
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False})
    md.core.ruler.at("inline", inline_within_budget)
    md.enable(["table", "strikethrough"])
    md.inline.ruler.at("strikethrough", strikethrough.tokenize)
    md.inline.ruler2.at("strikethrough", strikethrough.post_process)
    # GFM's autolinks, not linkify-it's, which links bare domains ("setup.py") and ends
    # links differently from GitHub.
    md.inline.ruler.after("text", "autolink_www", autolink.www_autolink)
    md.inline.ruler.after("autolink_www", "autolink_url", autolink.url_autolink)
    md.inline.terminator_re = re.compile(f"{md.inline.terminator_re.pattern}|{autolink.WWW_START}")
    md.core.ruler.after("text_join", "autolink_email", autolink.email_autolinks)
    md.inline.ruler.push("count_brackets", autolink.count_brackets)
    md.use(footnote_plugin)
    # The plugin's $$ block, which stops at a blank line so a missing $$ cannot eat the
    # page; inline dollars are ours (see dollars.py: "$5 and $10" and "$PATH" stay prose).
    md.use(dollarmath_plugin, allow_labels=False, allow_blank_lines=False, double_inline=True)
    md.inline.ruler.at("math_inline", dollars.math_inline)
    footnote_anchor = md.renderer.rules["footnote_anchor"]
    rules = {
        "fence": _render_fence,
        "code_block": _render_code_block,
        "math_inline": _render_math_inline,
        "math_inline_double": _render_math_inline_double,
        "math_block": _render_math_block,
        "html_block": _render_html,
        "html_inline": _render_html,
        "task_checkbox": lambda self, tokens, idx, options, env: tokens[idx].content,
        "heading_close": _render_heading_close,
        "table_open": _render_table_open,
        "table_close": _render_table_close,
        # <del>, as GitHub writes it, rather than markdown-it's <s>.
        "s_open": lambda *args: "<del>",
        "s_close": lambda *args: "</del>",
        "footnote_anchor": lambda self, *args: footnote_anchor(*args).replace(
            'class="footnote-backref"', 'class="footnote-backref" aria-label="Back to content"'
        ),
    }
    for name, rule in rules.items():
        md.add_render_rule(name, rule)
    return md


md = _build()
