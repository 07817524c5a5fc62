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
    if "<" not in html:
        return html
    budget: Budget = env["budget"]
    for match in _TAG_NAME.finditer(_COMMENTS.sub("", html)):
        name = match.group(1).lower()
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
