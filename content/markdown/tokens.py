"""The one pass over markdown-it's tokens, between parsing and rendering.

It annotates the tokens in place (heading ids, task-list checkboxes, table alignment
classes, link and image attributes, the line numbers that warnings quote) and collects what
the page needs besides the HTML: the table of contents, the excerpt and the word count.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.text import slugify
from markdown_it.token import Token

EXCERPT_LENGTH = 300

_FOOTNOTE_ID = re.compile(r"fn(ref)?\d+")
_WORD_TOKENS = frozenset({"text", "code_inline"})
_MATH_TOKENS = frozenset({"math_inline", "math_inline_double"})
_TASK_MARKERS = frozenset({"[ ] ", "[x] ", "[X] "})


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str


def prepare(tokens: list[Token]) -> tuple[tuple[Heading, ...], str, int]:
    """Annotate tokens in place; return (table of contents, excerpt, word count)."""
    toc: list[Heading] = []
    used_ids: set[str] = set()
    next_suffix: dict[str, int] = {}
    excerpt = fallback_excerpt = ""
    words = 0
    line = 1
    open_lists: list[Token] = []
    for i, token in enumerate(tokens):
        if token.map:
            line = token.map[0] + 1
        kind = token.type
        if kind == "inline":
            _make_task(tokens, i, open_lists[-1] if open_lists else None)
            words += _prepare_inline(token.children or [], line)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            open_lists.append(token)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            open_lists.pop()
        elif kind in ("fence", "code_block", "math_block"):
            token.meta["line"] = line
            words += 1 if kind == "math_block" else len(token.content.split())
        elif kind == "html_block":
            token.meta["line"] = line
        elif kind == "heading_open":
            text = _plain_text(tokens[i + 1].children)
            anchor_id = _unique_id(text, used_ids, next_suffix)
            token.attrSet("id", anchor_id)
            tokens[i + 2].meta["id"] = anchor_id
            toc.append(Heading(level=int(token.tag[1]), text=text, id=anchor_id))
        elif kind == "paragraph_open" and not excerpt:
            if token.level == 0 or not fallback_excerpt:
                text = _plain_text(tokens[i + 1].children)
                if token.level == 0:
                    excerpt = text
                else:
                    fallback_excerpt = text
        elif kind in ("th_open", "td_open"):
            # Alignment as a class: no style attribute survives sanitising.
            style = str(token.attrs.pop("style", ""))
            if style.startswith("text-align:"):
                token.attrSet("class", "align-" + style.removeprefix("text-align:"))
            if kind == "th_open":
                _label_lone_formula(tokens[i + 1].children or [])
    return tuple(toc), _shorten(excerpt or fallback_excerpt), words


def _plain_text(children: Sequence[Token] | None) -> str:
    parts = []
    for child in children or ():
        if child.type in _WORD_TOKENS or child.type in _MATH_TOKENS:
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _unique_id(text: str, used: set[str], next_suffix: dict[str, int]) -> str:
    base = slugify(text, allow_unicode=True)[:80].strip("-_") or "section"
    if _FOOTNOTE_ID.fullmatch(base):  # keep clear of the footnotes' own ids
        base = f"section-{base}"
    n = next_suffix.get(base, 0)
    candidate = f"{base}-{n}" if n else base
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    next_suffix[base] = n + 1  # so a thousand equal headings cost a thousand steps, not 500k
    used.add(candidate)
    return candidate


def _prepare_inline(children: list[Token], line: int) -> int:
    """Annotate one paragraph's inline tokens; return how many words they hold."""
    words = 0
    for child in children:
        kind = child.type
        if kind in _WORD_TOKENS:
            words += len(child.content.split())
        elif kind in ("softbreak", "hardbreak"):
            line += 1
        elif kind in _MATH_TOKENS:
            child.meta["line"] = line
            line += child.content.count("\n")
            words += 1
        elif kind == "html_inline":
            child.meta["line"] = line
            line += child.content.count("\n")
        elif kind == "link_open":
            if str(child.attrs.get("href", "")).startswith(("http://", "https://")):
                child.attrSet("rel", "noopener")
            if child.markup in ("linkify", "autolink") and child.type == "link_open":
                # Its text is its address: print styles need not repeat it after the link.
                child.attrSet("class", "url")
        elif kind == "image":
            child.attrSet("loading", "lazy")
            child.attrSet("decoding", "async")
    return words


def _label_lone_formula(children: list[Token]) -> None:
    # A header cell holding only a formula reads as empty to checkers (axe) and to some
    # screen readers, which find no text in MathML: the formula gets an aria-label.
    formulas = [child for child in children if child.type in _MATH_TOKENS]
    if formulas and all(
        child.type in _MATH_TOKENS or (child.type == "text" and not child.content.strip())
        for child in children
    ):
        for child in formulas:
            child.meta["label"] = True


def _make_task(tokens: list[Token], i: int, list_open: Token | None) -> None:
    """Turn a list item starting with "[ ] " or "[x] " into a task with a checkbox.

    What mdit-py-plugins' tasklists plugin does, in this one pass: the plugin looks for each
    item's list by walking back through the tokens, which is quadratic in the list's length.
    """
    children = tokens[i].children
    if not (
        list_open is not None
        and tokens[i - 1].type == "paragraph_open"
        and tokens[i - 2].type == "list_item_open"
        and children
        and children[0].type == "text"
        and children[0].content[:4] in _TASK_MARKERS
    ):
        return
    checked = ' checked="checked"' if children[0].content[1] in "xX" else ""
    # Not an html_inline token: that is the author's raw HTML, which is checked and counted.
    checkbox = Token("task_checkbox", "", 0)
    checkbox.content = (
        f'<input class="task-list-item-checkbox"{checked} disabled="disabled" type="checkbox">'
    )
    children[0].content = children[0].content[3:]
    children.insert(0, checkbox)
    tokens[i - 2].attrSet("class", "task-list-item")
    list_open.attrSet("class", "contains-task-list")


def _shorten(text: str, limit: int = EXCERPT_LENGTH) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"
