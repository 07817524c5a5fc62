"""Raw HTML in Markdown: handed to the allow-list, with a warning for each tag it removes.

markdown-it passes raw HTML through untouched (an `html_block` or `html_inline` token) and
`sanitize()` then keeps what is on its list. Here, before that:

- GFM's tagfilter: `<script>`, `<style>`, `<title>`, `<textarea>`, `<xmp>`, `<iframe>`,
  `<noembed>`, `<noframes>` and `<plaintext>` are shown as text, as on GitHub. Left as
  tags, one left open would swallow the rest of the page into its raw text;
- the author is told what the sanitiser will remove, once per tag name and document,
  quoting the first line where it appears. Comments go without a warning: they are meant
  not to show.
"""

import re
from html import escape

from content.markdown.limits import Budget
from content.markdown.sanitize import TAGS

# Raw-text elements: shown as text, not parsed as tags (GFM's "tagfilter").
FILTERED_TAGS = frozenset(
    {"title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"}
)
_FILTERED = re.compile(rf"<(?=/?(?:{'|'.join(FILTERED_TAGS)})[\s/>])", re.IGNORECASE)
_COMMENTS = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


def check(html: str, line: int, env: dict) -> str:
    """`html` with the tagfilter applied; a warning for each tag that will not show as one."""
    budget: Budget = env["budget"]
    names = [name.lower() for name in _TAG_NAME.findall(_COMMENTS.sub("", html))]
    budget.html_tags_left -= len(names)
    if budget.html_tags_left < 0:
        budget.warn_once(
            "html_tags",
            f"From line {line} on, HTML is shown as text: the text has more than "
            f"{budget.limits.html_tags:,} HTML tags.",
        )
        return escape(html, quote=False)
    for name in names:
        if name in FILTERED_TAGS:
            outcome = "shown as text"
        elif name not in TAGS:
            outcome = "it is removed, its text is kept"
        else:
            continue
        budget.warn_once(
            f"html:{name}", f"HTML tag <{name[:40]}> on line {line} is not allowed: {outcome}."
        )
    return _FILTERED.sub("&lt;", html)
