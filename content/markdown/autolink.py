"""GFM's extended autolinks, as cmark-gfm finds them (extensions/autolink.c), for what we keep.

GitHub links three things in plain text, and so do we:

- `www.` and a domain, where a line starts, after a space or after `*`, `_`, `~` or `(`;
- `http://` and `https://` URLs (not `ftp://`: the allow-list has no ftp);
- e-mail addresses, whatever their top-level domain.

A bare domain such as `setup.py` is never linked. The first two are inline rules, so a link
takes its characters before emphasis or strikethrough can (`~~http://a.org~~` is struck,
its tildes not linked), and neither links after an unclosed `[` (`[see http://a.org]` stays
text); e-mail addresses are found in the text afterwards, as cmark-gfm does. Where a link
ends follows cmark-gfm's `autolink_delim`: trailing punctuation is left out, a closing `)`
only when unbalanced, an entity-like `&hl;` suffix always.
"""

import re
import unicodedata
from urllib.parse import quote

from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

_ASCII_SPACE = frozenset(" \t\n\r\f\v")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_TRAILING = frozenset("?!.,:*_~'\"")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_WWW_AFTER = frozenset(" \t\n\r\f\v*_~(")
_SCHEME_BEFORE = re.compile(r"(?<![A-Za-z])(https?)$", re.IGNORECASE)
_HTML_LINK_OPEN = re.compile(r"<a[\s>]", re.IGNORECASE)
_HTML_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
_LOCAL_PART = _ALNUM | frozenset(".+-_")
_DOMAIN = re.compile(r"(?:[A-Za-z0-9_-]|\.(?=[A-Za-z0-9]))*")
_SPACE = re.compile(r"[ \t\n\r\f\v]")

# Where the text rule must stop so that the www rule gets its turn: markdown-it stops only
# at punctuation, and "w" is not worth stopping at everywhere. Starting with the "w" keeps
# the whole pattern a scan for one set of characters, as fast as markdown-it's own.
WWW_START = r"w(?:(?<=^w)|(?<=[\s(*_~]w))ww\."


def _is_hostchar(char: str) -> bool:
    if char in _ASCII_SPACE or char in _ASCII_PUNCTUATION:
        return False
    return not (char.isspace() or unicodedata.category(char).startswith("P"))


def _domain_end(text: str, allow_short: bool) -> int:
    """cmark-gfm's check_domain: where the domain at the start of `text` ends, 0 if none."""
    # cmark-gfm walks bytes: after the first byte of a non-ASCII character it stops, at
    # the next (a continuation byte, never a valid host character). So does this walk.
    if not text[0].isascii():
        return 1 if allow_short else 0
    dots = underscores_last = underscores_before = 0
    i = 1
    while i < len(text) - 1:
        char = text[i]
        if char == "_":
            underscores_last += 1
        elif char == ".":
            underscores_before, underscores_last = underscores_last, 0
            dots += 1
        elif not char.isascii():
            i += _is_hostchar(char)
            break
        elif char != "-" and not _is_hostchar(char):
            break
        i += 1
    if underscores_before or underscores_last:
        return 0
    return i if allow_short or dots else 0


def _trimmed_end(text: str, end: int) -> int:
    """cmark-gfm's autolink_delim: where a link running to `end` really ends."""
    if (less_than := text.find("<", 0, end)) >= 0:
        end = less_than
    opening, closing = text.count("(", 0, end), text.count(")", 0, end)
    while end > 0:
        last = text[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ";":
            # "&hl;" looks like an entity: it is not part of the link.
            start = end - 2
            while start > 0 and text[start].isascii() and text[start].isalpha():
                start -= 1
            end = start if start < end - 2 and text[start] == "&" else end - 1
        elif last == ")" and closing > opening:
            end -= 1
            closing -= 1
        else:
            break
    return end


def _in_brackets(state: StateInline) -> bool:
    return getattr(state, "open_brackets", 0) > 0


def count_brackets(state: StateInline, silent: bool) -> bool:
    """Count the "[" that are left as text (no link rule took them) until a "]" closes them.

    cmark-gfm's bracket stack, which markdown-it does not keep: at "[" only once the link
    rules have failed, so it goes last; it never consumes a character.
    """
    char = state.src[state.pos]
    if not silent and char in "[]":
        count = getattr(state, "open_brackets", 0)
        state.open_brackets = count + 1 if char == "[" else max(count - 1, 0)
    return False


def _href(url: str) -> str:
    # Percent-encoded as cmark-gfm does; not markdown-it's normalizeLink, which also turns
    # a non-ASCII host into punycode.
    return quote(url, safe="%;/?:@&=+$,-_.!~*'()#")


def _candidate(state: StateInline) -> str:
    """The source from here to the next space, and that space: all a link can be or see.

    cmark-gfm's domain walk never looks at the last character it is given; the space after
    the candidate keeps it looking at the candidate's last one.
    """
    space = _SPACE.search(state.src, state.pos, state.posMax)
    return state.src[state.pos : space.end() if space else state.posMax]


def _push_link(state: StateInline, href: str, text: str) -> None:
    token = state.push("link_open", "a", 1)
    token.attrs = {"href": _href(href)}
    token.markup = token.info = "autolink"
    state.push("text", "", 0).content = text
    state.push("link_close", "a", -1).markup = "autolink"


def www_autolink(state: StateInline, silent: bool) -> bool:
    pos, src = state.pos, state.src
    if not src.startswith("www.", pos) or state.linkLevel > 0 or _in_brackets(state):
        return False
    if pos > 0 and src[pos - 1] not in _WWW_AFTER:
        return False
    text = _candidate(state)
    end = _domain_end(text, allow_short=False)
    if not end:
        return False
    while end < len(text) and text[end] not in _ASCII_SPACE:
        end += 1
    end = _trimmed_end(text, end)
    if not end:
        return False
    if not silent:
        _push_link(state, "http://" + text[:end], text[:end])
    state.pos += end
    return True


def url_autolink(state: StateInline, silent: bool) -> bool:
    """At "://": an http(s) URL, whose scheme is already in the pending text."""
    pos, src = state.pos, state.src
    if not src.startswith("://", pos) or state.linkLevel > 0 or _in_brackets(state):
        return False
    # Read in the source, not in `state.pending`, which costs a copy of the paragraph so far
    # on each read. Letters right before the ":" can only be pending text.
    scheme = _SCHEME_BEFORE.search(src, max(0, pos - 6), pos)
    text = _candidate(state)
    if scheme is None or len(text) < 4 or not _is_hostchar(text[3]):
        return False
    domain = _domain_end(text[3:], allow_short=True)
    if not domain:
        return False
    end = 3 + domain
    while end < len(text) and text[end] not in _ASCII_SPACE:
        end += 1
    end = _trimmed_end(text, end)
    if end <= 3:
        return False
    if not silent:
        name = scheme.group(1)
        state.pending = state.pending[: -len(name)]
        _push_link(state, name + text[:end], name + text[:end])
    state.pos += end
    return True


def _emails(text: str) -> list[tuple[int, int]]:
    """(start, end) of each e-mail address in `text`: cmark-gfm's postprocess_text, in
    linear time (each scan stops at the next "@", where the next attempt starts)."""
    found: list[tuple[int, int]] = []
    offset = 0
    while (at := text.find("@", offset)) >= 0:
        start = at
        while start > offset and text[start - 1] in _LOCAL_PART:
            start -= 1
        if start == at:
            offset = at + 1
            continue
        end = _DOMAIN.match(text, at + 1).end()
        if end < len(text) and text[end] == "@":  # the local part of the next address
            offset = at + 1
            continue
        if "." not in text[at + 1 : end] or not (
            text[end - 1].isascii() and text[end - 1].isalpha()
        ):
            offset = end
            continue
        # A written "mailto:" becomes part of the link, as on GitHub.
        if text.endswith("mailto:", offset, start) and (
            start - 7 == offset or text[start - 8] not in _ALNUM
        ):
            start -= 7
        found.append((start, end))
        offset = end
    return found


def email_autolinks(state: StateCore) -> None:
    """Core rule: link the e-mail addresses in text outside links."""
    for block in state.tokens:
        if block.type != "inline" or "@" not in block.content or block.meta.get("plain"):
            continue
        children: list[Token] = []
        in_link = 0
        for token in block.children or ():
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            elif token.type == "html_inline" and _HTML_LINK_OPEN.match(token.content):
                in_link += 1
            elif token.type == "html_inline" and _HTML_LINK_CLOSE.match(token.content):
                in_link -= 1
            if token.type != "text" or in_link or "@" not in token.content:
                children.append(token)
                continue
            text, last = token.content, 0
            for start, end in _emails(text):
                if start > last:
                    children.append(Token("text", "", 0, content=text[last:start]))
                link = Token("link_open", "a", 1, markup="autolink", info="autolink")
                address = text[start:end]
                link.attrs = {"href": _href(address if ":" in address else "mailto:" + address)}
                children.append(link)
                children.append(Token("text", "", 0, content=text[start:end]))
                children.append(Token("link_close", "a", -1, markup="autolink"))
                last = end
            if not last:
                children.append(token)
            elif last < len(text):
                children.append(Token("text", "", 0, content=text[last:]))
        block.children = children
