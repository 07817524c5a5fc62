"""The Markdown renderer's blocks and inlines: headings, excerpts, links, output (GFM in
test_markdown_gfm.py)."""

from content.markdown import Heading, markdownify, render, sanitize
from tests.content.conftest import md, parse, tree


def classes(element) -> set[str]:
    return set(element.get("class", "").split())


class TestHeadings:
    def test_ids_anchors_and_toc(self):
        rendered = render(
            md(
                """
                # Title

                ## Install *it*

                ### The `render()` API

                ## Install it
                """
            )
        )
        assert rendered.toc == (
            Heading(level=1, text="Title", id="title"),
            Heading(level=2, text="Install it", id="install-it"),
            Heading(level=3, text="The render() API", id="the-render-api"),
            Heading(level=2, text="Install it", id="install-it-1"),
        )
        root = parse(rendered.html)
        (h3,) = root.xpath("//h3")
        assert h3.get("id") == "the-render-api"
        (anchor,) = h3.xpath("a[@class='heading-anchor']")
        assert anchor.get("href") == "#the-render-api"
        assert anchor.get("aria-label") == "Link to this section"
        assert anchor.text == "#"
        assert [h.get("id") for h in root.xpath("//h2")] == ["install-it", "install-it-1"]

    def test_duplicate_ids_stay_unique(self):
        rendered = render("## Intro\n\n## Intro\n\n## Intro 1\n\n## Intro\n")
        ids = [heading.id for heading in rendered.toc]
        assert ids == ["intro", "intro-1", "intro-1-1", "intro-2"]
        assert len(set(ids)) == len(ids)

    def test_ids_avoid_footnote_ids_and_empty_slugs(self):
        rendered = render("## fn1\n\n## !!!\n\n## Über café\n\nText[^1]\n\n[^1]: note\n")
        assert [heading.id for heading in rendered.toc] == [
            "section-fn1",
            "section",
            "über-café",
        ]

    def test_setext_heading(self):
        assert render("Title\n=====\n").toc == (Heading(1, "Title", "title"),)


class TestExcerpt:
    def test_first_paragraph_as_plain_text(self):
        rendered = render(
            md(
                """
                # Heading

                ```python
                code = "not this"
                ```

                The **first**   paragraph,
                with [a link](https://example.org) and `code`.

                The second paragraph.
                """
            )
        )
        assert rendered.excerpt == "The first paragraph, with a link and code."

    def test_long_paragraph_is_cut_on_a_word_boundary(self):
        rendered = render("word " * 100)
        assert len(rendered.excerpt) <= 301
        assert rendered.excerpt.endswith("word…")

    def test_single_long_word(self):
        assert render("x" * 400).excerpt == "x" * 300 + "…"

    def test_falls_back_to_a_nested_paragraph(self):
        assert render("- item one\n- item two\n").excerpt == "item one"

    def test_empty(self):
        assert render("").excerpt == ""
        assert render("# Only a heading").excerpt == ""


class TestCounts:
    def test_prose_and_code_words(self):
        rendered = render("# Two words\n\nThree more words.\n\n```python\nprint('x') # y\n```\n")
        assert rendered.word_count == 2 + 3 + 3

    def test_reading_time(self):
        assert render("").reading_time == 1
        assert render("word " * 230).reading_time == 1
        assert render("word " * 231).reading_time == 2
        assert render("word " * 1000).reading_time == 5


class TestLinksAndImages:
    def test_external_links_get_noopener(self):
        root = tree(
            "[ext](https://example.org) [rel](/posts/) [frag](#intro) "
            "[mail](mailto:a@example.org) <http://example.com>"
        )
        rels = {a.text: a.get("rel") for a in root.xpath("//a")}
        assert rels == {
            "ext": "noopener",
            "rel": None,
            "frag": None,
            "mail": None,
            "http://example.com": "noopener",
        }

    def test_links_whose_text_is_their_address_are_marked(self):
        # Print styles print a link's address after it, except where the text already is it.
        root = tree("[ext](https://example.org) <http://example.com> and https://a.example/b")
        classes = {a.text: a.get("class") for a in root.xpath("//a")}
        assert classes == {"ext": None, "http://example.com": "url", "https://a.example/b": "url"}

    def test_link_title_is_kept(self):
        (link,) = tree('[a](/x "The title")').xpath("//a")
        assert link.get("title") == "The title"

    def test_image_is_lazy_and_keeps_alt(self):
        (img,) = tree('![A *pool* diagram](/media/pool.png "Pool")').xpath("//img")
        assert img.get("src") == "/media/pool.png"
        assert img.get("alt") == "A pool diagram"
        assert img.get("title") == "Pool"
        assert img.get("loading") == "lazy"

    def test_unsafe_scheme_loses_its_link(self):
        root = tree("[x](javascript:alert(1)) [y](ftp://example.org/file)")
        assert not root.xpath("//a[@href]")


class TestMarkdownify:
    def test_warnings_lead_the_html(self):
        root = parse(markdownify("```nope\nx\n```\n\n$x^$ and <em>"))
        (box,) = root.xpath("div[@class='render-warnings']")
        assert box.get("role") == "status"
        messages = [li.text for li in box.xpath("ul/li")]
        assert messages[0] == 'Unknown code language "nope" on line 1: shown as plain text.'
        assert messages[1].startswith('Invalid LaTeX "x^" on line 5')
        assert root.xpath("div[@class='codeblock']")

    def test_warning_text_is_escaped(self):
        html = markdownify("```<img/src=x/onerror=alert(1)>\nx\n```\n")
        assert not parse(html).xpath("//img")
        assert "&lt;img" in html

    def test_no_warnings_is_the_plain_html(self):
        assert markdownify("Hello *there*") == render("Hello *there*").html


class TestSanitize:
    def test_keeps_the_renderer_vocabulary(self):
        html = '<span class="k">def</span><div class="codeblock" data-lang="py">x</div>'
        assert sanitize(html) == html

    def test_drops_what_is_not_listed(self):
        html = sanitize(
            '<span class="k evil" style="color:red" onclick="x()">a</span>'
            '<a href="javascript:x()" rel="opener">b</a><input type="text" name="q">'
        )
        root = parse(html)
        assert root.xpath("//span")[0].attrib == {"class": "k"}
        assert root.xpath("//a")[0].attrib == {}
        assert root.xpath("//input")[0].attrib == {"type": "checkbox", "disabled": "disabled"}
