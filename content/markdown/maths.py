"""LaTeX to MathML, on the server, with latex2mathml: no JavaScript in the page."""

import re
from functools import lru_cache
from html import escape, unescape
from xml.etree.ElementTree import Element, tostring

from latex2mathml.converter import convert_to_element

from content.markdown.limits import Budget

# latex2mathml writes symbols as "&#x02211;" text; serialising escapes their "&".
_ESCAPED_CHARREF = re.compile(r"&amp;(#x[0-9A-Fa-f]+;)")
_TOKEN_TEXT = re.compile(r">([^<]+)<")
# A display formula with more glyphs than this may not fit a 320 px phone (see code.SCROLL_CHARS).
SCROLL_GLYPHS = 24
_BARS = frozenset({"|", "\u2016", "&#x0007C;", "&#x02016;"})  # not \mid (U+2223), a relation
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


# latex2mathml lays out matrix, pmatrix, bmatrix, Bmatrix, vmatrix, Vmatrix, smallmatrix,
# cases, array, split, align and align* as aligned tables, but leaves the "&" and "\\" of
# these as text: each is rewritten to the one it supports that lays it out the same (the
# environment, and the column spec an array needs).
_SAME_LAYOUT = {
    "aligned": ("align*", ""),
    "alignedat": ("align*", ""),
    "alignat": ("align*", ""),
    "alignat*": ("align*", ""),
    "gathered": ("array", "{c}"),
    "gather": ("array", "{c}"),
    "gather*": ("array", "{c}"),
    "dcases": ("cases", ""),
    "eqnarray": ("array", "{rcl}"),
    "eqnarray*": ("array", "{rcl}"),
}
_ENVIRONMENT = re.compile(
    r"\\(begin|end)\{(aligned|alignedat|alignat\*?|gathered|gather\*?|dcases|eqnarray\*?)\}"
    r"(?:(?<=at\})\s*\{\d+\}|(?<=at\*\})\s*\{\d+\})?"  # alignedat{2}: its column count
)


# Environments whose "&" aligns columns, natively or through _SAME_LAYOUT.
ALIGNING = frozenset(
    {
        "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix",
        "cases", "array", "split", "align", "align*",
    }
) | frozenset(_SAME_LAYOUT)  # fmt: skip
_BEGIN = re.compile(r"\\begin\{([^}]*)\}")


def _supported(match: re.Match) -> str:
    environment, columns = _SAME_LAYOUT[match.group(2)]
    if match.group(1) == "end":
        return f"\\end{{{environment}}}"
    return f"\\begin{{{environment}}}{columns}"


@lru_cache(maxsize=2048)
def mathml(latex: str, display: bool) -> tuple[str, str, tuple[str, ...], bool]:
    """(MathML, error, unknown commands, an "&" left as text) for `latex`.

    MathML is "" when it fails.
    """
    try:
        supported = _ENVIRONMENT.sub(_supported, latex) if "\\begin" in latex else latex
        element = convert_to_element(supported, display="block" if display else "inline")
        _tighten_bars(element)
        # Not latex2mathml's own convert(): it unescapes its output, so `\text{<b>}` would
        # come back as markup. tostring() escapes text and attributes properly.
        markup = _ESCAPED_CHARREF.sub(r"&\1", tostring(element, encoding="unicode"))
    except Exception as exc:  # it raises many kinds, StopIteration and IndexError included
        return "", _LATEX_ERRORS.get(type(exc).__name__, "it could not be converted"), (), False
    identifiers = [el.text for el in element.iter("mi") if el.text]
    unknown = tuple(dict.fromkeys(text for text in identifiers if text[0] == "\\"))
    # An escaped \& comes out as "&#x00026;"; a bare "&" outside a table as itself.
    return markup, "", unknown, "&" in identifiers


def _tighten_bars(element: Element) -> None:
    # A bar inside a row is spaced as an infix operator by MathML Core's operator dictionary,
    # so |a - b| came out as "| a − b |". As absolute values and norms they need no space.
    for mo in element.iter("mo"):
        if mo.text in _BARS:
            mo.set("lspace", "0")
            mo.set("rspace", "0")


def math(latex: str, display: bool, line: int, env: dict, label: bool = False) -> str:
    """The MathML of `latex`, or its source with a warning; `label` gives it an aria-label
    (its symbols, spaced), for formulas that are a cell's only content."""
    budget: Budget = env["budget"]
    latex = latex.strip()
    budget.formulas_left -= 1
    if budget.formulas_left < 0:
        budget.warn_once(
            "formulas",
            f"From line {line} on, maths is shown as LaTeX source: the text has more than "
            f"{budget.limits.formulas:,} formulas.",
        )
        return f"<code>{escape(latex)}</code>"
    if len(latex) > budget.limits.latex_chars:
        markup, error = "", f"longer than {budget.limits.latex_chars} characters"
        unknown, stray_ampersand = (), False
    else:
        markup, error, unknown, stray_ampersand = mathml(latex, display)
    if error:
        shown = latex if len(latex) <= 40 else latex[:39] + "…"
        budget.warn(f'Invalid LaTeX "{shown}" on line {line}: {error}; shown as source.')
        return f'<code class="math-error">{escape(latex)}</code>'
    for command in unknown:
        budget.warn(f"Unknown LaTeX command {command} on line {line}: shown as text.")
    if stray_ampersand:
        environments = [name for name in _BEGIN.findall(latex) if name not in ALIGNING]
        where = f" (not in \\begin{{{environments[0]}}})" if environments else ""
        budget.warn(
            f'"&" on line {line} is shown as text{where}: it aligns columns only inside '
            "aligned, align, cases, matrix, pmatrix, bmatrix or array."
        )
    if label:
        spoken = escape(" ".join(unescape(text) for text in _TOKEN_TEXT.findall(markup)))
        markup = markup.replace("<math ", f'<math aria-label="{spoken}" ', 1)
    return markup
