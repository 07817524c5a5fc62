"""Any text at all: render() returns, deterministically, well-formed and safe HTML, in time."""

import re

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.markdown import render
from tests.content.test_markdown_xss import assert_safe

FALLBACK = "This text could not be rendered, so it is shown as plain text."
MARKDOWNISH = "*_[]()!#$\\`<>&|-~:^{}=+.\"' \n\tax1"
FRAGMENTS = [
    "# ", "## ", "\n", "\n\n", "    ", "> ", "- ", "1. ", "- [ ] ", "- [x] ", "```", "```python\n",
    "```nope\n", "~~~\n", "$", "$$", "\\frac{", "}", "{", "^", "_", "\\left(", "\\text{<b>}",
    "[^1]", "[^1]: ", "[a]", "[a]: /u", "](", ")", "![", "<", ">", "&", "&amp;", "&#106;",
    "javascript:", "http://x.org", "www.x.org", "a@b.co", "| a | b |", "|---|:-:|", "**",
    "~~", "`", "text", "setup.py", "\\", "<script>", "\x00", "é", "\ud7ff",
    "~", "$`", "`$", "www.", "mailto:", "(", "<details open>", "</details>", "<kbd>",
    "<img src=x onerror=y>", "<!--", "-->", '<source srcset="a 1x, javascript:x 2x">',
]  # fmt: skip

markdownish = st.text(alphabet=MARKDOWNISH, max_size=300)
fragments = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
property_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def check(source: str) -> None:
    rendered = render(source)
    assert FALLBACK not in rendered.warnings, source  # the pipeline itself did not fail
    assert render(source) == rendered  # deterministic
    html = rendered.html
    if html.strip():
        for fragment in lxml.html.fragments_fromstring(
            re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", html)
        ):
            if not isinstance(fragment, str):
                assert lxml.html.tostring(fragment, encoding="unicode")
    assert_safe(html)
    assert rendered.reading_time >= 1
    assert len(rendered.excerpt) <= 301
    assert len({heading.id for heading in rendered.toc}) == len(rendered.toc)


class TestAnyInput:
    @property_settings
    @given(st.text(max_size=500))
    def test_arbitrary_text(self, source):
        check(source)

    @property_settings
    @given(markdownish)
    def test_markdown_alphabet(self, source):
        check(source)

    @property_settings
    @given(fragments)
    def test_markdown_fragments(self, source):
        check(source)

    @settings(max_examples=50, deadline=None)
    @given(st.binary(max_size=300))
    def test_binary_garbage(self, data):
        check(data.decode("latin-1"))


PATHOLOGICAL = {
    "brackets": "[" * 1_000_000,
    "closed brackets": "[" * 500_000 + "]" * 500_000,
    "images": "![" * 500_000,
    "blockquotes": ">" * 1_000_000,
    "quote lines": "> " * 5_000 + "\n> x" * 5_000,
    "stars": "*" * 1_000_000,
    "emphasis": "*a **b " * 140_000,
    "underscores": "_a_ " * 250_000,
    "backticks": "`a``b```c" * 110_000,
    "dollars": "$" * 1_000_000,
    "formulas": "$x$ " * 250_000,
    "deep braces in maths": "$" + "{" * 4_000 + "x" + "}" * 4_000 + "$",
    "unclosed links": "[a](" * 250_000,
    "angle brackets": "<" * 1_000_000,
    "ampersands": "&#" * 500_000,
    "entities": "&amp;" * 200_000,
    "nested lists": "".join("  " * i + "- x\n" for i in range(3_000)),
    "list markers": "1. " * 330_000,
    "task list": "- [ ] a\n" * 30_000,
    "equal headings": "## a\n\n" * 20_000,
    "wide table": "|" + "a|" * 20_000 + "\n|" + "-|" * 20_000 + "\n",
    "long table": "|a|b|\n|-|-|\n" + "|1|2|\n" * 50_000,
    "footnote refs": "x[^1] " * 50_000 + "\n\n[^1]: n\n",
    "urls": "http://a.b/ " * 80_000,
    "fences": "```\n" * 100_000,
    "unknown languages": "".join(f"```l{i}\nx\n```\n" for i in range(20_000)),
    "huge code": "```python\n" + "x = [(1, 'a'), {2: 'b'}]  # c\n" * 20_000 + "```\n",
    "nul": "\x00" * 1_000_000,
    "garbage": bytes(range(256)).decode("latin-1") * 4_000,
    "comments": "<!--" * 250_000,
    "nested raw html": "<details>" * 110_000,
    "raw html": "Press <kbd>C</kbd> or <font>x</font>\n\n" * 25_000,
    "autolinks": "see http://a.org/x) and www.b.org, me@c.org ~x~\n\n" * 20_000,
    "unbalanced parentheses": "http://a.b/" + ")" * 999_000,
    "e-mail separators": "a@" * 500_000,
    "shell dollars": "cp $SRC/$DEST and $n$th $x$\n\n" * 30_000,
    "forced maths": "$`" * 500_000,
    "backslashes": "\\" * 1_000_000,
    "newlines": "\n" * 1_000_000,
    "carriage returns": "a\r" * 500_000,
    "over the size cap": "word " * 500_000,
}


class TestPathologicalInput:
    @pytest.mark.parametrize("name", PATHOLOGICAL)
    def test_returns(self, name):
        rendered = render(PATHOLOGICAL[name])
        assert FALLBACK not in rendered.warnings
        assert isinstance(rendered.html, str)
