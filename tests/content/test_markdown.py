"""The Markdown renderer's blocks and inlines: GFM, headings, excerpts, links, output."""

from content.markdown import Heading, markdownify, render, sanitize
from tests.content.conftest import md, parse, tree


def classes(element) -> set[str]:
    return set(element.get("class", "").split())


class TestGfm:
    def test_table_with_alignment_as_classes(self):
        root = tree(
            """
            | Name | Count | Note |
            |:-----|------:|:----:|
            | a    | 1     | x    |
            """
        )
        (table,) = root.xpath("//div[@class='table-wrap']/table")
        assert [th.text for th in table.xpath("thead/tr/th")] == ["Name", "Count", "Note"]
        assert [td.get("class") for td in table.xpath("tbody/tr/td")] == [
            "align-left",
            "align-right",
            "align-center",
        ]
        assert not root.xpath("//@style")

    def test_table_without_alignment_has_no_class(self):
        root = tree("| a |\n|---|\n| 1 |\n")
        assert root.xpath("//td")[0].get("class") is None

    def test_footnote(self):
        root = tree(
            """
            Claim[^src] and more.

            [^src]: The *source*.
            """
        )
        (ref,) = root.xpath("//sup[@class='footnote-ref']/a")
        assert ref.get("href") == "#fn1"
        assert ref.get("id") == "fnref1"
        (item,) = root.xpath("//section[@class='footnotes']/ol/li[@id='fn1']")
        assert "footnote-item" in classes(item)
        assert item.xpath("p/em")[0].text == "source"
        (back,) = item.xpath(".//a[@class='footnote-backref']")
        assert back.get("href") == "#fnref1"
        assert back.get("aria-label") == "Back to content"
        assert root.xpath("//hr[@class='footnotes-sep']")

    def test_task_list_renders_disabled_checkboxes(self):
        root = tree(
            """
            - [ ] write
            - [x] publish
            """
        )
        assert "contains-task-list" in classes(root.xpath("//ul")[0])
        boxes = root.xpath("//li[@class='task-list-item']/input")
        assert [box.get("type") for box in boxes] == ["checkbox", "checkbox"]
        assert all(box.get("disabled") is not None for box in boxes)
        assert [box.get("checked") is not None for box in boxes] == [False, True]
        assert boxes[0].tail.strip() == "write"

    def test_strikethrough_with_one_or_two_tildes(self):
        root = tree("~~old~~ and ~older~ new, ~~~not~~~ and ~not~~ either")
        assert [element.text for element in root.xpath("//del")] == ["old", "older"]
        assert "~~~not~~~ and ~not~~ either" in root.text_content()

    def test_tildes_around_a_url_strike_it(self):
        (struck,) = tree("~~http://example.com~~ and ~https://example.org~").xpath("//del/a")[:1]
        assert struck.get("href") == "http://example.com"
        assert struck.text == "http://example.com"
        assert [a.get("href") for a in tree("~https://example.org~").xpath("//del/a")] == [
            "https://example.org"
        ]

    def test_bare_urls_are_linked(self):
        root = tree("See https://example.org/a?b=1, www.example.com or me@example.com.")
        assert [a.get("href") for a in root.xpath("//a")] == [
            "https://example.org/a?b=1",
            "http://www.example.com",
            "mailto:me@example.com",
        ]

    def test_file_names_are_not_linked(self):
        # .py, .rs, .sh and .md are country domains; linkify would link them.
        root = tree("Edit setup.py, main.rs and run.sh; see www.example.org too.")
        assert [a.get("href") for a in root.xpath("//a")] == ["http://www.example.org"]
        assert root.xpath("//p")[0].text == "Edit setup.py, main.rs and run.sh; see "

    def test_raw_html_goes_through_the_allow_list(self):
        # More in test_markdown_html.py.
        rendered = render("<b>bold</b> and <kbd>K</kbd>")
        assert rendered.html == "<p>bold and <kbd>K</kbd></p>\n"


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
