"""The nh3 allow-list: exactly the HTML the Markdown renderer produces, nothing else.

Everything not listed here is dropped: unknown elements lose their tags (their text stays,
escaped), unknown attributes and classes are removed, and URLs keep only the http, https
and mailto schemes or no scheme at all (relative paths and #fragments). `style`, event
handlers, `<script>`, `<iframe>`, `<svg>`, `<form>` and friends are never on the list.
"""

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

TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li",
        "strong", "em", "s", "code", "pre", "span", "div", "a", "img", "sup", "section",
        "input", "table", "thead", "tbody", "tr", "th", "td",
    }
) | MATHML_TAGS  # fmt: skip

ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title"},
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
    "img": {"loading": {"lazy"}, "decoding": {"async"}},
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

_cleaner = nh3.Cleaner(
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


def sanitize(html: str) -> str:
    """Return `html` reduced to the renderer's allow-list."""
    return _cleaner.clean(html)
