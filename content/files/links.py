"""Lists of links in Markdown: `* [title](url): commentary`, the form of "Weekly notes".

`format_item()` writes one item and `parse_links()` reads a list back, nested lists and
further paragraphs of the commentary included, so a digest composed here and imported with
`--split-links` gives back the same bookmarks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ITEM = re.compile(
    r"^(?P<marker>[*+-]|\d{1,9}[.)])[ \t]+"
    r"\[(?P<title>(?:\\.|[^\]\\])*)\]"
    r"\((?P<url><[^>\n]*>|(?:[^()\s]|\([^()\s]*\))+)(?:[ \t]+\"[^\"]*\")?\)"
    r"(?P<rest>.*)$"
)
SEPARATOR = re.compile(r"^\s*(?:[:—–]|\s-)?\s*")
LIST_ITEM = re.compile(r"^(?:[*+-]|\d{1,9}[.)])[ \t]+")
# A commentary starting with one of these is a block: it goes on the line after the link.
BLOCK_START = re.compile(r"^(?:[*+-][ \t]|\d{1,9}[.)][ \t]|#|>|```|~~~|\||    )")
INDENT = "  "


@dataclass(frozen=True)
class LinkItem:
    title: str
    url: str
    commentary: str
    line: int


@dataclass
class LinkList:
    items: list[LinkItem] = field(default_factory=list)
    # Top-level list items that are not links, by line number (1-based), for the report.
    other_items: list[int] = field(default_factory=list)
    # Lines of text outside the list (an introduction, headings), by line number.
    other_lines: list[int] = field(default_factory=list)


def _escape_title(title: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", title)


def format_item(title: str, url: str, commentary: str = "") -> str:
    """One list item; the commentary's further lines are indented under it."""
    link_url = f"<{url}>" if re.search(r"[\s()<>]", url) else url
    head = f"* [{_escape_title(title)}]({link_url})"
    lines = commentary.strip().splitlines()
    if not lines:
        return head
    if BLOCK_START.match(lines[0]):
        head += ":"
    else:
        head += f": {lines.pop(0)}"
    return "\n".join([head, *[INDENT + line if line.strip() else "" for line in lines]])


def parse_links(body: str) -> LinkList:
    """The top-level link items of `body`, each with its commentary dedented."""
    result = LinkList()
    lines = body.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        match = ITEM.match(line)
        if match is None:
            if LIST_ITEM.match(line):
                result.other_items.append(index + 1)
            elif line.strip():
                result.other_lines.append(index + 1)
            index += 1
            continue
        indent = LIST_ITEM.match(line).end()
        start, index = index, index + 1
        block: list[str] = []
        while index < len(lines) and (not lines[index].strip() or lines[index][:1] in " \t"):
            block.append(lines[index])
            index += 1
        while block and not block[-1].strip():
            block.pop()
        first = SEPARATOR.sub("", match.group("rest"), count=1).rstrip()
        rest = [_dedent(text, indent) for text in block]
        commentary = "\n".join(([first] if first else []) + rest).strip("\n")
        url = match.group("url").removeprefix("<").removesuffix(">")
        title = re.sub(r"\\(.)", r"\1", match.group("title"))
        result.items.append(LinkItem(title, url, commentary, start + 1))
    return result


def _dedent(line: str, width: int) -> str:
    expanded = line.expandtabs(4)
    leading = len(expanded) - len(expanded.lstrip(" "))
    return expanded[min(leading, width) :]
