"""Every example of the CommonMark 0.31.2 spec and of the GFM extensions, through render().

The examples are vendored in tests/data/ (see README.md there for their source and licence).
Both sides are compared after the same normalisation:

- the spec's HTML goes through our `sanitize()` first, because render() always does: an
  example whose raw HTML the allow-list removes is judged on what remains (what a reader
  sees), not on the tags nobody will get;
- our deliberate decorations are taken off: heading ids and anchors, `rel`, `loading` and
  `decoding`, the code-block wrapper, label and highlighting spans, the table wrapper, the
  task-list classes, and alignment classes (read back as `align`);
- whitespace is collapsed outside `<pre>` and dropped around block tags, attributes are
  sorted, entities decoded: the normalisation of the specs' own runner (`normalize.py`).

The differences we keep on purpose are listed once, below, by example number with the
reason. They are strict xfails: one that starts passing fails the run, so the list stays true.
"""

import json
import re
from html import escape
from pathlib import Path

import lxml.html
import pytest

from content.markdown import render, sanitize

DATA = Path(__file__).parents[1] / "data"
COMMONMARK = json.loads((DATA / "commonmark-spec.json").read_text(encoding="utf-8"))
GFM = json.loads((DATA / "gfm-spec.json").read_text(encoding="utf-8"))

# The examples we render differently on purpose. Each CommonMark one is what GitHub's
# cmark-gfm renders too, with GFM's extensions on: the CommonMark spec has none of them.
_TAGFILTER = (
    "GFM tagfilter: <script>, <style> and <textarea> show as text (CommonMark passes them on; "
    "the allow-list would then drop them, with everything inside)"
)
_AUTOLINK = "GFM autolinks: a bare http(s) URL or e-mail address is linked (CommonMark has none)"
COMMONMARK_DELIBERATE: dict[int, str] = {
    170: _TAGFILTER,
    171: _TAGFILTER,
    172: _TAGFILTER,
    173: _TAGFILTER,
    176: _TAGFILTER,
    178: _TAGFILTER,
    602: _AUTOLINK,
    606: _AUTOLINK,
    608: _AUTOLINK,
    611: _AUTOLINK,
    612: _AUTOLINK,
}
# GFM extension examples, numbered as in the GFM spec.
GFM_DELIBERATE: dict[int, str] = {
    628: "ftp:// is not linked: the allow-list has no ftp, so the link would have no href",
}

_BLOCK_TAGS = (
    "address|article|aside|blockquote|body|caption|col|colgroup|dd|details|div|dl|dt|"
    "fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|"
    "summary|table|tbody|td|tfoot|th|thead|tr|ul"
)
_AROUND_BLOCK_TAG = re.compile(rf"\s*(</?(?:{_BLOCK_TAGS})\b[^>]*>)\s*")
_WHITESPACE = re.compile(r"\s+")
_BOOLEAN_ATTRIBUTES = {"checked", "disabled", "open"}
_TASK_CLASSES = {"contains-task-list", "task-list-item", "task-list-item-checkbox"}


def undecorate(root: lxml.html.HtmlElement) -> None:
    """Take our deliberate decorations off a parsed render() output, in place."""
    for label in root.xpath("//div[@class='codeblock-lang'] | //a[@class='heading-anchor']"):
        label.drop_tree()
    for wrapper in root.xpath(
        "//div[@class='codeblock'] | //div[@class='table-wrap'] | //pre//code//span"
    ):
        wrapper.drop_tag()
    for element in root.iter():
        attrib = element.attrib
        if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            attrib.pop("id", None)
        for name in ("rel", "loading", "decoding"):
            attrib.pop(name, None)
        classes = attrib.pop("class", "").split()
        kept = [name for name in classes if name not in _TASK_CLASSES | {"highlight", "url"}]
        for name in list(kept):
            if name.startswith("align-"):
                attrib["align"] = name.removeprefix("align-")
                kept.remove(name)
        if kept:
            attrib["class"] = " ".join(kept)


def _serialise(element: lxml.html.HtmlElement, in_pre: bool) -> str:
    in_pre = in_pre or element.tag == "pre"
    attributes = "".join(
        f' {name}="{"" if name in _BOOLEAN_ATTRIBUTES else escape(value)}"'
        for name, value in sorted(element.attrib.items())
    )
    parts = [f"<{element.tag}{attributes}>", _text(element.text, in_pre)]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_serialise(child, in_pre))
        parts.append(_text(child.tail, in_pre))
    if element.tag not in ("br", "hr", "img", "input", "source"):
        parts.append(f"</{element.tag}>")
    return "".join(parts)


def _text(text: str | None, in_pre: bool) -> str:
    text = escape(text or "", quote=False)
    return text if in_pre else _WHITESPACE.sub(" ", text)


def normalise(html: str) -> str:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    undecorate(root)
    inner = _serialise(root, False).removeprefix("<div>").removesuffix("</div>")
    return _AROUND_BLOCK_TAG.sub(r"\1", inner).strip()


def expected(html: str) -> str:
    # Alignment as our classes, so that sanitize() keeps it and normalise() reads it back.
    return normalise(sanitize(re.sub(r'align="(left|center|right)"', r'class="align-\1"', html)))


def _cases(examples: list[dict], deliberate: dict[int, str]) -> list:
    return [
        pytest.param(
            example,
            id=f"{example['example']}",
            marks=[pytest.mark.xfail(strict=True, reason=deliberate[example["example"]])]
            if example["example"] in deliberate
            else [],
        )
        for example in examples
    ]


class TestNormalise:
    def test_decorations_come_off(self):
        ours = render("## Install\n\n```python\nx = 1\n```\n\n[a](https://example.org)").html
        assert normalise(ours) == (
            '<h2>Install</h2><pre><code>x = 1\n</code></pre><p><a href="https://example.org">'
            "a</a></p>"
        )

    def test_alignment_reads_back_on_both_sides(self):
        table = "| a |\n|:-:|\n| b |\n"
        assert normalise(render(table).html) == expected(
            '<table><thead><tr><th align="center">a</th></tr></thead>'
            '<tbody><tr><td align="center">b</td></tr></tbody></table>'
        )

    def test_whitespace_is_kept_in_pre_only(self):
        assert normalise("<p> a \n b </p>\n<pre><code> a \n b\n</code></pre>") == (
            "<p>a b</p><pre><code> a \n b\n</code></pre>"
        )


class TestCommonMark:
    def test_every_example_is_vendored(self):
        assert len(COMMONMARK["examples"]) == 652
        assert COMMONMARK["licence"].startswith("CC-BY-SA-4.0")

    @pytest.mark.parametrize("example", _cases(COMMONMARK["examples"], COMMONMARK_DELIBERATE))
    def test_example(self, example):
        assert normalise(render(example["markdown"]).html) == expected(example["html"])


class TestGfm:
    def test_every_extension_example_is_vendored(self):
        kinds = {name for example in GFM["examples"] for name in example["extensions"]}
        assert kinds == {"table", "tasklist", "strikethrough", "autolink", "tagfilter"}
        assert len(GFM["examples"]) == 24

    @pytest.mark.parametrize("example", _cases(GFM["examples"], GFM_DELIBERATE))
    def test_example(self, example):
        assert normalise(render(example["markdown"]).html) == expected(example["html"])
