"""Raw HTML in Markdown: the allowed subset survives, comments vanish, the rest is stripped
with a warning. The hostile side is in test_markdown_xss.py."""

import pytest

from content.markdown import render, sanitize
from tests.content.conftest import md, parse


class TestAllowedSubset:
    def test_image_with_size(self):
        rendered = render('<img src="/media/pool.png" alt="Pool" title="t" width="30" height="20">')
        (img,) = parse(rendered.html).xpath("//img")
        assert img.attrib == {
            "src": "/media/pool.png",
            "alt": "Pool",
            "title": "t",
            "width": "30",
            "height": "20",
        }
        assert rendered.warnings == ()

    def test_image_loading_takes_only_its_values(self):
        root = parse(render('<img src="/a.png" loading="eager"><img src="/b" loading="x">').html)
        assert [img.get("loading") for img in root.xpath("//img")] == ["eager", None]

    def test_absolute_image_is_kept_and_scripting_one_loses_its_source(self):
        root = parse(render('<img src="https://example.org/a.png"><img src="javascript:x">').html)
        sources = [img.get("src") for img in root.xpath("//img")]
        assert sources == ["https://example.org/a.png", None]

    def test_details_with_markdown_inside(self):
        root = parse(
            render(
                md(
                    """
                    <details open>
                    <summary>More</summary>

                    Hidden *text*.

                    </details>
                    """
                )
            ).html
        )
        (details,) = root.xpath("//details")
        assert details.get("open") is not None
        assert details.xpath("summary")[0].text == "More"
        assert details.xpath("p/em")[0].text == "text"

    @pytest.mark.parametrize(
        "html",
        [
            "<kbd>Ctrl</kbd>",
            "<sup>2</sup>",
            "<sub>2</sub>",
            "a<br>b",
            '<abbr title="HyperText Markup Language">HTML</abbr>',
            "<mark>m</mark>",
            "<ins>new</ins>",
            "<del>old</del>",
        ],
    )
    def test_inline_tags_pass_as_written(self, html):
        rendered = render(f"Press {html} now.")
        assert rendered.html == f"<p>Press {html} now.</p>\n"
        assert rendered.warnings == ()

    def test_block_tags_pass_as_written(self):
        html = (
            '<figure><img src="/a.png" alt="a"><figcaption>A caption</figcaption></figure>\n'
            "<dl><dt>term</dt><dd>definition</dd></dl>"
        )
        assert render(html).html == html

    def test_picture_with_sources(self):
        rendered = render(
            '<picture><source srcset="/a.webp 1x, https://example.org/b.webp 2x" '
            'media="(min-width: 600px)" type="image/webp" sizes="50vw">'
            '<img src="/a.png" alt="a"></picture>'
        )
        (source,) = parse(rendered.html).xpath("//picture/source")
        assert source.attrib == {
            "srcset": "/a.webp 1x, https://example.org/b.webp 2x",
            "media": "(min-width: 600px)",
            "type": "image/webp",
            "sizes": "50vw",
        }


class TestSrcset:
    @pytest.mark.parametrize(
        "srcset",
        [
            "/a.png",
            "a.png 1x, b.png 2x",
            "https://example.org/a.png 480w,https://example.org/b.png 800w",
            "http://example.org/a,b.png 1.5x",
        ],
    )
    def test_safe_srcset_is_kept(self, srcset):
        html = f'<source srcset="{srcset}">'
        assert sanitize(html) == html

    @pytest.mark.parametrize(
        "srcset",
        [
            "javascript:alert(1)",
            "/a.png 1x, javascript:alert(1) 2x",
            "/a.png 1x,JAVASCRIPT:alert(1) 2x",
            "data:image/png;base64,AAAA 1x",
            "&#106;avascript:alert(1)",
            "java&#x09;script:alert(1)",
            "&#1;javascript:alert(1)",
            "vbscript:x 100w",
            "ftp://example.org/a.png",
            "1:x.png",
        ],
    )
    def test_srcset_with_another_scheme_is_dropped(self, srcset):
        assert sanitize(f'<source srcset="{srcset}" type="image/png">') == (
            '<source type="image/png">'
        )


class TestEverythingElse:
    def test_comments_vanish_without_a_warning(self):
        rendered = render("<!-- a note to self -->\n\nText <!-- inline --> here.")
        assert "note" not in rendered.html
        assert "inline" not in rendered.html
        assert parse(rendered.html).xpath("//p")[0].text == "Text  here."
        assert rendered.warnings == ()

    def test_other_tags_lose_their_tags_keep_their_text_and_warn(self):
        rendered = render(
            md(
                """
                Some <font color="red">red</font> and <blink>blinking</blink> text.

                <center>
                centred
                </center>

                Again <font>here</font>.
                """
            )
        )
        root = parse(rendered.html)
        assert not root.xpath("//font | //blink | //center")
        assert "red" in root.text_content()
        assert "centred" in root.text_content()
        assert rendered.warnings == (
            "HTML tag <font> on line 1 is not allowed: it is removed, its text is kept.",
            "HTML tag <blink> on line 1 is not allowed: it is removed, its text is kept.",
            "HTML tag <center> on line 3 is not allowed: it is removed, its text is kept.",
        )

    def test_raw_text_tags_are_shown_as_text(self):
        # GFM's tagfilter: an unclosed <style> or <title> would otherwise take the rest of
        # the page into its raw text.
        rendered = render("<script>alert(1)</script>\n\nA <title> and <style>p{}</style>.")
        root = parse(rendered.html)
        assert not root.xpath("//script | //title | //style")
        assert root.text_content().strip() == (
            "<script>alert(1)</script>\nA <title> and <style>p{}</style>."
        )
        assert rendered.warnings == (
            "HTML tag <script> on line 1 is not allowed: shown as text.",
            "HTML tag <title> on line 3 is not allowed: shown as text.",
            "HTML tag <style> on line 3 is not allowed: shown as text.",
        )

    def test_sanitize_alone_drops_script_and_style_with_their_content(self):
        assert sanitize("<script>alert(1)</script><style>p{}</style>x") == "x"

    def test_tags_inside_comments_and_code_do_not_warn(self):
        rendered = render("<!-- <font> -->\n\n`<font>`\n\n```html\n<font>\n```\n")
        assert rendered.warnings == ()

    def test_attributes_off_the_list_are_dropped(self):
        rendered = render('<kbd class="x" style="color:red" onclick="x()">K</kbd>')
        assert rendered.html == "<p><kbd>K</kbd></p>\n"
