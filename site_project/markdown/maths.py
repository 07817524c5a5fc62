"""LaTeX to MathML, on the server: latex2mathml builds the tree, we serialise it."""

import re
from functools import lru_cache
from html import escape
from xml.etree.ElementTree import Element

from latex2mathml.converter import convert_to_element

from site_project.markdown.limits import Budget

# latex2mathml writes symbols as "&#x02211;" text; escaping turns their "&" into "&amp;".
_ESCAPED_CHARREF = re.compile(r"&amp;(#x[0-9A-Fa-f]+;)")
# ElementTree's escaping of attribute values, in one pass.
_ATTRIBUTE_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\r": "&#13;",
        "\n": "&#10;",
        "\t": "&#09;",
    }
)
_LATEX_ERRORS = {
    "NoAvailableTokensError": "the formula ends too early (a missing argument or brace?)",
    "MissingSuperScriptOrSubscriptError": "a ^ or _ has nothing after it",
    "ExtraLeftOrMissingRightError": r"\left and \right do not pair up",
    "MissingEndError": r"a \begin has no matching \end",
    "DenominatorNotFoundError": "a fraction has no denominator",
    "NumeratorNotFoundError": "a fraction has no numerator",
    "DoubleSuperscriptsError": "a double superscript",
    "DoubleSubscriptsError": "a double subscript",
}


def _text(text: str) -> str:
    escaped = escape(text, quote=False)
    return _ESCAPED_CHARREF.sub(r"&\1", escaped) if "&" in text else escaped


def _attribute(value: str) -> str:
    escaped = value.translate(_ATTRIBUTE_ESCAPES)
    return _ESCAPED_CHARREF.sub(r"&\1", escaped) if "&" in value else escaped


def _serialise(element: Element, out: list[str]) -> None:
    """What ElementTree's tostring() writes for latex2mathml's plain, namespace-free tree.

    Not latex2mathml's own convert(): it unescapes its output, so `\\text{<b>}` would come
    back as markup. Not tostring() either: it costs more than a quarter of the conversion,
    most of it in namespace bookkeeping this tree never needs.
    """
    out.append(f"<{element.tag}")
    for name, value in element.items():
        out.append(f' {name}="{_attribute(value)}"')
    if element.text or len(element):
        out.append(">")
        if element.text:
            out.append(_text(element.text))
        for child in element:
            _serialise(child, out)
        out.append(f"</{element.tag}>")
    else:
        out.append(" />")
    if element.tail:
        out.append(_text(element.tail))


@lru_cache(maxsize=2048)
def mathml(latex: str, display: bool) -> tuple[str, str, tuple[str, ...]]:
    """(MathML, error, unknown commands) for `latex`; MathML is "" when it fails."""
    try:
        element = convert_to_element(latex, display="block" if display else "inline")
        out: list[str] = []
        _serialise(element, out)
    except Exception as exc:  # it raises many kinds, StopIteration and IndexError included
        return "", _LATEX_ERRORS.get(type(exc).__name__, "it could not be converted"), ()
    unknown = tuple(
        dict.fromkeys(el.text for el in element.iter("mi") if el.text and el.text[0] == "\\")
    )
    return "".join(out), "", unknown


def math(latex: str, display: bool, line: int, env: dict) -> str:
    budget: Budget = env["budget"]
    latex = latex.strip()
    budget.formulas_left -= 1
    if budget.formulas_left < 0:
        budget.warn_once(
            "formulas",
            f"From line {line} on, maths is shown as LaTeX source: the text has more than "
            f"{budget.formulas:,} formulas.",
        )
        return f"<code>{escape(latex)}</code>"
    if len(latex) > budget.latex_chars:
        markup, error, unknown = "", f"longer than {budget.latex_chars} characters", ()
    else:
        markup, error, unknown = mathml(latex, display)
    if error:
        shown = latex if len(latex) <= 40 else latex[:39] + "…"
        budget.warn(f'Invalid LaTeX "{shown}" on line {line}: {error}; shown as source.')
        return f'<code class="math-error">{escape(latex)}</code>'
    for command in unknown:
        budget.warn(f"Unknown LaTeX command {command} on line {line}: shown as text.")
    return markup
