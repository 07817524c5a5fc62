"""The Markdown renderer, feature by feature: site_project/markdown/."""

import io
import textwrap

import lxml.html
import pytest
from django.core.management import call_command

from site_project import markdown
from site_project.management.commands import build_code_css
from site_project.markdown import Heading, markdownify, render, sanitize


def md(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def tree(source: str) -> lxml.html.HtmlElement:
    return parse(render(md(source)).html)


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

    def test_strikethrough(self):
        assert tree("~~old~~ new").xpath("//s")[0].text == "old"

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

    def test_raw_html_is_escaped_as_text(self):
        root = tree("<b>bold</b> and <span class=k>x</span>")
        assert not root.xpath("//b | //span")
        assert "<b>bold</b>" in root.text_content()


SNIPPETS = {
    "python": ('def greet(name):\n    return f"hi {name}"  # hi\n', "Python", {"k", "nf", "s2"}),
    "javascript": (
        'function add(a, b) {\n  return a + "x"; // sum\n}\n',
        "JavaScript",
        {"kd", "k", "s2", "c1"},
    ),
    "bash": ('for f in *.md; do\n  echo "$f"  # each\ndone\n', "Bash", {"k", "nb", "nv"}),
    "sql": ("SELECT id FROM users WHERE name = 'x'; -- one\n", "SQL", {"k", "s1", "c1"}),
    "go": ('func main() {\n\tfmt.Println("hi") // out\n}\n', "Go", {"kd", "s", "c1"}),
    "rust": ('fn main() {\n    let s = "hi";\n    println!("{}", s);\n}\n', "Rust", {"kd", "nf"}),
    "typescript": (
        "function id<T>(x: T): T {\n  return x;\n}\nconst s: string = 'a';\n",
        "TypeScript",
        {"kd", "k", "kt"},
    ),
}


class TestCodeBlocks:
    @pytest.mark.parametrize("language", SNIPPETS)
    def test_highlighted_with_language_label(self, language):
        code, label, expected = SNIPPETS[language]
        rendered = render(f"```{language}\n{code}```\n")
        (block,) = parse(rendered.html).xpath("//div[@class='codeblock']")
        assert block.get("data-lang") == language
        assert block.xpath("div[@class='codeblock-lang']")[0].text == label
        (code_element,) = block.xpath("pre[@class='highlight']/code")
        span_classes = {span.get("class") for span in code_element.xpath("span")}
        assert expected <= span_classes
        assert code_element.text_content() == code.rstrip("\n")
        assert rendered.warnings == ()
        assert "style=" not in rendered.html

    def test_alias_and_extra_info_words(self):
        block = tree("```js title=app.js\nlet x = 1;\n```\n").xpath("//div[@class='codeblock']")[0]
        assert block.get("data-lang") == "javascript"

    def test_unknown_language_is_plain_with_a_warning(self):
        rendered = render(md("Intro.\n\n```klingon\nQapla'\n<b>\n```\n"))
        block = parse(rendered.html).xpath("//div[@class='codeblock']")[0]
        assert block.get("data-lang") is None
        assert not block.xpath(".//span | div[@class='codeblock-lang']")
        assert block.xpath("pre/code")[0].text == "Qapla'\n<b>"
        assert rendered.warnings == (
            'Unknown code language "klingon" on line 3: shown as plain text.',
        )

    def test_missing_language_is_plain_without_warning(self):
        rendered = render("```\nplain <code>\n```\n")
        assert parse(rendered.html).xpath("//pre/code")[0].text == "plain <code>"
        assert rendered.warnings == ()

    def test_text_language_is_plain_without_warning(self):
        rendered = render("```text\nsome output\n```\n")
        assert not parse(rendered.html).xpath("//span | //div[@class='codeblock-lang']")
        assert rendered.warnings == ()

    def test_indented_code_block(self):
        root = tree("Para.\n\n    x = 1  # not highlighted\n    <i>\n")
        (code,) = root.xpath("//div[@class='codeblock']/pre[@class='highlight']/code")
        assert code.text == "x = 1  # not highlighted\n<i>"
        assert not code.xpath("span")

    def test_inline_code(self):
        assert tree("Use `a < b` here.").xpath("//p/code")[0].text == "a < b"

    def test_code_is_escaped(self):
        root = tree("```python\nx = '<script>alert(1)</script>'\n```\n")
        assert not root.xpath("//script")
        assert "<script>" in root.text_content()

    def test_code_past_the_highlight_budget_is_plain(self, monkeypatch):
        monkeypatch.setattr(markdown, "MAX_HIGHLIGHT_CHARS", 30)
        rendered = render(
            "```python\nx = 1\n```\n\n```python\ny = 2 + 3 + 4 + 5 + 6 + 7\n```\n" * 2
        )
        blocks = parse(rendered.html).xpath("//div[@class='codeblock']")
        assert [bool(block.xpath(".//span")) for block in blocks] == [True, False, False, False]
        assert rendered.warnings == (
            "From line 5 on, code is not highlighted: the text has more than 30 characters "
            "of code.",
        )

    def test_large_block_is_highlighted_uncached(self):
        code = "x = 1\n" * 4000
        root = parse(render(f"```python\n{code}```\n").html)
        assert root.xpath("//span[@class='mi']")

    def test_nested_ordered_lists_with_fenced_code(self):
        root = tree(
            """
            1. Install:

               ```bash
               pip install x
               ```

            2. Configure:

               1. Edit the file:

                  ```python
                  DEBUG = False
                  ```

               2. Restart.
            """
        )
        outer_items = root.xpath("/div/ol/li")
        assert len(outer_items) == 2
        assert outer_items[0].xpath("div[@class='codeblock']")[0].get("data-lang") == "bash"
        inner = outer_items[1].xpath("ol/li")
        assert len(inner) == 2
        assert inner[0].xpath("div[@class='codeblock']")[0].get("data-lang") == "python"
        assert inner[1].text_content().strip() == "Restart."


class TestMaths:
    def test_inline(self):
        rendered = render(r"Use $N \gtrsim 5 \times k$ workers.")
        (formula,) = parse(rendered.html).xpath("//p/math")
        assert formula.get("display") == "inline"
        assert [mi.text for mi in formula.xpath(".//mi")] == ["N", "k"]
        assert formula.xpath(".//mn")[0].text == "5"
        assert {mo.text for mo in formula.xpath(".//mo")} == {"≳", "×"}
        assert rendered.warnings == ()

    def test_display(self):
        root = tree("$$\n\\frac{a}{b}\n$$\n")
        (formula,) = root.xpath("//div[@class='math-display']/math")
        assert formula.get("display") == "block"
        assert formula.xpath(".//mfrac")

    def test_math_fence_is_display(self):
        (formula,) = tree("```math\nE = mc^2\n```\n").xpath("//div[@class='math-display']/math")
        assert formula.get("display") == "block"
        assert formula.xpath(".//msup")

    def test_double_dollars_inside_a_paragraph(self):
        (formula,) = tree("so $$x^2$$ holds").xpath("//p/math")
        assert formula.get("display") == "block"

    @pytest.mark.parametrize(
        "prose",
        [
            "It costs $5 and $10.",
            "Between $ 5 and 6 $ dollars.",
            "Price: $5, $6, $7",
            r"An escaped \$x\$ stays.",
        ],
    )
    def test_dollars_in_prose_stay_text(self, prose):
        root = tree(prose)
        assert not root.xpath("//math")
        assert "$" in root.text_content()

    def test_invalid_latex_is_shown_as_source_with_a_warning(self):
        rendered = render("Intro\n\nBad $\\frac{1}{$ here.")
        (error,) = parse(rendered.html).xpath("//code[@class='math-error']")
        assert error.text == "\\frac{1}{"
        assert not parse(rendered.html).xpath("//math")
        assert len(rendered.warnings) == 1
        assert rendered.warnings[0].startswith('Invalid LaTeX "\\frac{1}{" on line 3:')

    def test_warning_line_counts_soft_breaks(self):
        rendered = render("one\ntwo $x^$\nthree")
        assert "on line 2" in rendered.warnings[0]
        assert "a ^ or _ has nothing after it" in rendered.warnings[0]

    def test_invalid_display_maths(self):
        rendered = render("$$\n\\left( x\n$$\n")
        assert parse(rendered.html).xpath("//div[@class='math-display']/code[@class='math-error']")
        assert "\\left and \\right do not pair up" in rendered.warnings[0]

    def test_unknown_command_warns(self):
        rendered = render("$\\foo x$")
        assert parse(rendered.html).xpath("//math")
        assert rendered.warnings == ("Unknown LaTeX command \\foo on line 1: shown as text.",)

    def test_text_in_maths_cannot_inject_markup(self):
        root = tree("$\\text{<img src=x onerror=alert(1)>}$")
        assert not root.xpath("//img")
        assert "<img" in root.xpath("//mtext")[0].text

    def test_href_in_maths_is_dropped(self):
        root = tree("$\\href{javascript:alert(1)}{x}$")
        assert root.xpath("//math")
        assert not root.xpath("//@href")

    def test_overlong_formula_is_an_error(self, monkeypatch):
        monkeypatch.setattr(markdown, "MAX_LATEX_CHARS", 5)
        markdown._mathml.cache_clear()
        rendered = render("$x + y + z$")
        assert parse(rendered.html).xpath("//code[@class='math-error']")
        assert "longer than 5 characters" in rendered.warnings[0]
        markdown._mathml.cache_clear()

    def test_long_source_is_shortened_in_the_warning(self):
        latex = "x + " * 20 + "\\frac{"
        (warning,) = render(f"${latex}$").warnings
        assert "…" in warning
        assert len(warning) < 150


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


class TestRobustness:
    def test_deterministic(self):
        source = md(
            """
            # A

            Text $x^2$ and[^1] `code`.

            ```python
            x = 1
            ```

            [^1]: n
            """
        )
        assert render(source) == render(source)

    def test_internal_error_falls_back_to_escaped_source(self, monkeypatch):
        def broken(tokens):
            raise RuntimeError("bug")

        monkeypatch.setattr(markdown, "_prepare", broken)
        rendered = render("# Hi <script>\x00")
        assert rendered.html == "<pre># Hi &lt;script&gt;\ufffd</pre>"  # no NUL for PostgreSQL
        assert rendered.warnings == (
            "This text could not be rendered, so it is shown as plain text.",
        )
        assert rendered.word_count == 3
        assert rendered.reading_time == 1

    def test_lines_are_capped(self, monkeypatch):
        monkeypatch.setattr(markdown, "MAX_SOURCE_LINES", 3)
        rendered = render("one\r\ntwo\rthree\nfour\nfive")
        assert rendered.excerpt == "one two three"
        assert rendered.warnings == ("The text is longer than 3 lines: the rest is cut off.",)

    def test_dense_punctuation_past_the_budget_is_plain_text(self, monkeypatch):
        monkeypatch.setattr(markdown, "INLINE_BUDGET", 200)
        rendered = render("First *para*.\n\nSecond *para* [[[[.\n\nThird *para* https://x.org")
        root = parse(rendered.html)
        assert root.xpath("//p[1]/em")
        assert [p.text for p in root.xpath("//p")[1:]] == [
            "Second *para* [[[[.",
            "Third *para* https://x.org",
        ]
        assert rendered.warnings == (
            "From line 3 on, the text is too long or too dense with Markdown punctuation to "
            "format: it is shown as plain text.",
        )

    def test_one_megabyte_of_brackets(self):
        rendered = render("[" * 1_000_000)
        assert rendered.html == "<p>" + "[" * 1_000_000 + "</p>\n"
        assert len(rendered.warnings) == 1

    def test_formulas_are_capped(self, monkeypatch):
        monkeypatch.setattr(markdown, "MAX_FORMULAS", 2)
        root_html = render("$a$ $b$ $c$ $d$")
        root = parse(root_html.html)
        assert len(root.xpath("//math")) == 2
        assert [code.text for code in root.xpath("//code")] == ["c", "d"]
        assert len(root_html.warnings) == 1
        assert "more than 2 formulas" in root_html.warnings[0]

    def test_ampersands_are_capped(self, monkeypatch):
        # html5ever gets quadratic on "&" within one text node; past the cap, no nh3 at all.
        monkeypatch.setattr(markdown, "MAX_AMPERSANDS", 3)
        rendered = render("# R&D\n\nA & B && C <script>")
        assert rendered.html == "<pre># R&amp;D\n\nA &amp; B &amp;&amp; C &lt;script&gt;</pre>"
        assert rendered.warnings == ('The text has more than 3 "&" characters: shown as plain.',)

    def test_many_unknown_languages_are_cheap(self):
        rendered = render("".join(f"```lang{i}\nx\n```\n" for i in range(300)))
        assert len(rendered.warnings) == markdown.MAX_WARNINGS + 1

    def test_long_task_list_is_linear(self):
        rendered = render("- [ ] task\n" * 5000)
        assert rendered.html.count('type="checkbox"') == 5000

    def test_source_is_capped(self, monkeypatch):
        monkeypatch.setattr(markdown, "MAX_SOURCE_CHARS", 20)
        rendered = render("short words " * 10)
        assert rendered.excerpt == "short words short wo"
        assert "longer than 20 characters" in rendered.warnings[0]

    def test_warnings_are_capped(self):
        rendered = render("$x^$ " * 30)
        assert len(rendered.warnings) == markdown.MAX_WARNINGS + 1
        assert rendered.warnings[-1] == "… and 10 more warnings."

    def test_lone_surrogates_and_nul(self):
        rendered = render("a\ud800b\x00c")
        assert rendered.html.encode("utf-8")
        assert rendered.excerpt == "a?b\ufffdc"


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


class TestCodeCss:
    @pytest.mark.parametrize("filename", build_code_css.STYLESHEETS)
    def test_committed_css_matches_the_command(self, filename):
        committed = (build_code_css.STATIC_CSS_DIR / filename).read_text(encoding="utf-8")
        assert committed == build_code_css.stylesheet(build_code_css.STYLESHEETS[filename])

    def test_command_writes_scoped_stylesheets(self, tmp_path):
        out = io.StringIO()
        call_command("build_code_css", output_dir=tmp_path, stdout=out)
        assert "code-dark.css" in out.getvalue()
        light = (tmp_path / "code-light.css").read_text()
        dark = (tmp_path / "code-dark.css").read_text()
        assert ".codeblock .k {" in light
        assert ".codeblock pre.highlight { background: #0d1117" in dark
        assert all(line.startswith((".codeblock ", "/*")) for line in (light + dark).splitlines())


def test_control_characters_become_replacement_characters():
    rendered = render("bell\x07 and\x01 nul\x00 tab\tnewline")
    assert "\x07" not in rendered.html and "\x01" not in rendered.html
    assert "\x00" not in rendered.html
    assert rendered.html.count("\ufffd") == 3
    assert "tab\tnewline" in rendered.html
