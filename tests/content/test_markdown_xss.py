"""Hostile input through render(): nothing executable may come out.

Each payload in tests/data/xss.json is rendered and the output parsed; the checks are on the
parsed tree, the way a browser would see it, not on strings.
"""

import json
import re
from pathlib import Path

import lxml.html
import pytest

from content.markdown import render, sanitize

PAYLOADS = json.loads((Path(__file__).parents[1] / "data" / "xss.json").read_text())

FORBIDDEN_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link",
    "base", "meta", "form", "button", "textarea", "select", "template", "svg", "use",
    "image", "foreignobject", "animate", "set", "maction", "mglyph", "video", "audio",
    "track", "body", "noscript",
}  # fmt: skip
# Where a URL may stand in the output; every URL there is checked.
URL_PLACES = {("a", "href"), ("img", "src"), ("source", "srcset")}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "background", "poster",
    "cite", "srcset", "srcdoc", "ping", "codebase", "dynsrc", "lowsrc",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def scheme(url: str) -> str | None:
    """The scheme a browser would see, or None for a relative URL or a fragment."""
    url = _IGNORED_IN_URLS.sub("", url).lstrip("".join(map(chr, range(0x21)))).lower()
    match = _SCHEME.match(url)
    return match.group(1) if match else None


def srcset_urls(srcset: str) -> list[str]:
    """Every word of a srcset that a browser could take for a URL (all but the descriptors)."""
    words = (word.strip(",") for word in srcset.split())
    return [word for word in words if word and not re.fullmatch(r"[\d.]+[wxh]", word)]


def assert_safe(html: str) -> None:
    # lxml refuses C0 controls; a space stands in (a browser strips both off a URL's start).
    html = _CONTROL.sub(" ", html)
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    assert lxml.html.tostring(root)  # parses and re-serialises
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            raise AssertionError(f"unexpected node {element!r}")
        tag = element.tag.lower()
        assert tag not in FORBIDDEN_ELEMENTS, tag
        for name, value in element.attrib.items():
            name = name.lower()
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            assert not name.startswith("xlink"), (tag, name)
            if name in URL_ATTRIBUTES or "href" in name:
                assert (tag, name) in URL_PLACES, (tag, name)
                for url in srcset_urls(value) if name == "srcset" else [value]:
                    assert scheme(url) in SAFE_SCHEMES | {None}, (tag, name, value)
        if tag == "input":
            assert element.get("type") == "checkbox"
            assert element.get("disabled") is not None


class TestSchemeHelper:
    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("https://x", "https"),
            (" \x01JavaScript:x", "javascript"),
            ("java\nscript:x", "javascript"),
            ("/path:x", None),
            ("#frag", None),
            ("mailto:a@b", "mailto"),
        ],
    )
    def test_scheme(self, url, expected):
        assert scheme(url) == expected

    def test_assert_safe_catches_bad_output(self):
        for bad in (
            '<a href="javascript:alert(1)">x</a>',
            '<img src="x" onerror="alert(1)">',
            '<p style="color:red">x</p>',
            "<svg></svg>",
            '<math><mrow href="javascript:x">y</mrow></math>',
            '<picture><source srcset="/a.png 1x, javascript:x 2x"></picture>',
            '<img src="/a.png" srcset="/b.png 2x">',
        ):
            with pytest.raises(AssertionError):
                assert_safe(bad)


class TestPayloads:
    def test_there_are_enough(self):
        assert len(PAYLOADS) >= 80

    @pytest.mark.parametrize("payload", PAYLOADS, ids=[f"{i:03d}" for i in range(len(PAYLOADS))])
    def test_payload_is_neutralised(self, payload):
        rendered = render(payload)
        assert_safe(rendered.html)
        assert "<script" not in rendered.html.lower()

    @pytest.mark.parametrize("payload", PAYLOADS, ids=[f"{i:03d}" for i in range(len(PAYLOADS))])
    def test_sanitize_alone_neutralises_payload_as_html(self, payload):
        # sanitize() is reused on HTML that did not come from Markdown: it must hold alone.
        assert_safe(sanitize(payload))


class TestSafeThingsSurvive:
    """The other side of the allow-list: ordinary links and maths still work."""

    def test_plain_links(self):
        html = render("[a](https://example.org) [b](/x) [c](#y) [d](mailto:a@example.org)").html
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        assert [a.get("href") for a in root.iter("a")] == [
            "https://example.org",
            "/x",
            "#y",
            "mailto:a@example.org",
        ]

    def test_maths_survives_next_to_payloads(self):
        html = render("$x^2$ <script>alert(1)</script>").html
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        assert root.xpath("//math//msup")
        assert_safe(html)
