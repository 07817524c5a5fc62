"""The nh3 allow-list: the HTML the Markdown renderer produces, plus a small raw-HTML subset.

Everything not listed here is dropped: unknown elements lose their tags (their text stays,
escaped; `<script>` and `<style>` lose their content too), unknown attributes and classes
are removed, and URLs keep only the http, https and mailto schemes or no scheme at all
(relative paths and #fragments). `style`, event handlers, `<script>`, `<iframe>`, `<svg>`,
`<form>` and friends are never on the list. Raw HTML in Markdown goes through the same list:
besides the renderer's own vocabulary it may use `RAW_HTML_TAGS` below.
"""

import re

import nh3
from pygments.token import STANDARD_TYPES

URL_SCHEMES = frozenset({"http", "https", "mailto"})

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

# The MathML latex2mathml emits, plus the harmless structural elements around it.
# Not listed on purpose: maction (actiontype tricks), mglyph and malignmark (mXSS
# vectors), and every link-carrying attribute (href, xlink:href, src).
MATHML_TAGS = frozenset(
    {
        "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext",
        "mspace", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mtable", "mtr",
        "mtd", "munder", "mover", "munderover", "mmultiscripts", "mprescripts", "none",
        "mstyle", "menclose", "mpadded", "mphantom", "merror",
    }
)  # fmt: skip
MATHML_ATTRIBUTES = frozenset(
    {
        "display", "xmlns", "mathvariant", "mathsize", "mathcolor", "mathbackground",
        "displaystyle", "scriptlevel", "stretchy", "fence", "separator", "form", "largeop",
        "movablelimits", "symmetric", "accent", "accentunder", "lspace", "rspace",
        "minsize", "maxsize", "width", "height", "depth", "voffset", "linebreak",
        "linethickness", "notation", "columnalign", "rowalign", "columnspacing",
        "rowspacing", "columnlines", "rowlines", "frame", "columnspan", "rowspan",
        "encoding",
    }
)  # fmt: skip

# What authors write as raw HTML and GitHub lets through: image sizes, disclosure widgets,
# keys, small print. `picture`/`source` choose between images; not `video`/`audio`.
RAW_HTML_TAGS = frozenset(
    {
        "img", "details", "summary", "kbd", "sup", "sub", "br", "abbr", "mark", "ins", "del",
        "figure", "figcaption", "dl", "dt", "dd", "picture", "source",
    }
)  # fmt: skip

TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li",
        "strong", "em", "s", "code", "pre", "span", "div", "a", "img", "sup", "section",
        "input", "table", "thead", "tbody", "tr", "th", "td",
    }
) | RAW_HTML_TAGS | MATHML_TAGS  # fmt: skip

ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "details": {"open"},
    # srcset holds URLs that nh3 does not check: see _safe_srcset.
    "source": {"srcset", "media", "type", "sizes"},
    "ol": {"start"},
    "li": {"id"},
    "input": {"checked"},
    "div": {"data-lang", "aria-label"},
    "pre": {"aria-label"},
    **{tag: {"id"} for tag in _HEADINGS},
    **{tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS},
    # A formula alone in a table header is named (tokens._label_lone_formula).
    "math": {*MATHML_ATTRIBUTES, "aria-label"},
}

# Attributes that may only carry one of a few fixed values.
ATTRIBUTE_VALUES: dict[str, dict[str, set[str]]] = {
    "a": {"rel": {"noopener"}, "aria-label": {"Link to this section", "Back to content"}},
    "img": {"loading": {"lazy", "eager"}, "decoding": {"async"}},
    # A code block or formula that may scroll sideways is a named tab stop.
    "pre": {"tabindex": {"0"}, "role": {"group"}},
    "div": {"tabindex": {"0"}, "role": {"group"}},
}

# Forced whatever the input says: a task-list box is always a disabled checkbox.
FORCED_ATTRIBUTES = {"input": {"type": "checkbox", "disabled": "disabled"}}

# Class names per element: Pygments token classes on spans, the renderer's own hooks elsewhere.
CLASSES: dict[str, set[str]] = {
    "span": {name for name in STANDARD_TYPES.values() if name},
    "div": {"codeblock", "codeblock-lang", "math-display", "table-wrap"},
    "pre": {"highlight"},
    "code": {"math-error"},
    "a": {"heading-anchor", "footnote-backref", "url"},
    "sup": {"footnote-ref"},
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
    "ul": {"contains-task-list"},
    "ol": {"contains-task-list", "footnotes-list"},
    "li": {"task-list-item", "footnote-item"},
    "input": {"task-list-item-checkbox"},
    "th": {"align-left", "align-center", "align-right"},
    "td": {"align-left", "align-center", "align-right"},
}

_OPTIONS = dict(
    tags=set(TAGS),
    attributes=ATTRIBUTES,
    tag_attribute_values=ATTRIBUTE_VALUES,
    set_tag_attribute_values=FORCED_ATTRIBUTES,
    allowed_classes=CLASSES,
    url_schemes=set(URL_SCHEMES),
    # rel="noopener" is set by the renderer on absolute http(s) links only; fragment and
    # relative links stay on this site and need none.
    link_rel=None,
    strip_comments=True,
)

# nh3's url_schemes check covers href and src, not srcset, which lists several URLs, each
# with an optional width or density: "a.png 1x, https://x/b.png 2x". Every piece between
# spaces and commas is checked, so a URL is checked even where a comma belongs to it.
_SRCSET_PIECES = re.compile(r"[\s,]+")
_DESCRIPTOR = re.compile(r"\d+(\.\d+)?[wxh]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
# Browsers ignore controls and spaces around a URL and tabs and newlines inside it.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20]")


def _safe_srcset(element: str, attribute: str, value: str) -> str | None:
    """The srcset as it is when every URL in it is http(s) or relative, else None (dropped)."""
    if attribute != "srcset":
        return value
    for piece in _SRCSET_PIECES.split(value):
        piece = _IGNORED_IN_URL.sub("", piece).lower()
        if not piece or _DESCRIPTOR.fullmatch(piece):
            continue
        scheme = _SCHEME.match(piece)
        if scheme and scheme.group(1) not in ("http", "https"):
            return None
        if not scheme and ":" in piece.split("/", 1)[0]:  # no scheme a browser would accept
            return None
    return value


_cleaner = nh3.Cleaner(**_OPTIONS)
# A Python callback on every attribute would double nh3's time on a long post. So the HTML
# is cleaned without it, and cleaned again with it only when a srcset survived: in nh3's
# output attribute names are lower case, so a plain substring test finds every one.
_srcset_cleaner = nh3.Cleaner(**_OPTIONS, attribute_filter=_safe_srcset)


def sanitize(html: str) -> str:
    """Return `html` reduced to the allow-list."""
    cleaned = _cleaner.clean(html)
    return _srcset_cleaner.clean(cleaned) if "srcset=" in cleaned else cleaned
