"""Code in Markdown: fenced and indented blocks, highlighting, the build_code_css command."""

import io

import pytest
from django.core.management import call_command

from content.management.commands import build_code_css
from content.markdown import Limits, render, sanitize
from tests.content.conftest import md, parse, tree

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
        assert code_element.text_content() == code
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
        assert block.xpath("pre/code")[0].text == "Qapla'\n<b>\n"
        assert rendered.warnings == (
            'Unknown code language "klingon" on line 3: shown as plain text.',
        )

    def test_missing_language_is_plain_without_warning(self):
        rendered = render("```\nplain <code>\n```\n")
        assert parse(rendered.html).xpath("//pre/code")[0].text == "plain <code>\n"
        assert rendered.warnings == ()

    def test_text_language_is_plain_without_warning(self):
        rendered = render("```text\nsome output\n```\n")
        assert not parse(rendered.html).xpath("//span | //div[@class='codeblock-lang']")
        assert rendered.warnings == ()

    def test_indented_code_block(self):
        root = tree("Para.\n\n    x = 1  # not highlighted\n    <i>\n")
        (code,) = root.xpath("//div[@class='codeblock']/pre[@class='highlight']/code")
        assert code.text == "x = 1  # not highlighted\n<i>\n"
        assert not code.xpath("span")

    @pytest.mark.parametrize("info", ["", "text", "klingon", "python", "bash"])
    def test_blank_lines_at_the_edges_are_kept(self, info):
        # CommonMark: the content is every line between the fences, blank ones included.
        code = "\n  \nx = 1\n\n\n"
        (element,) = parse(render(f"```{info}\n{code}```\n").html).xpath("//pre/code")
        assert element.text_content() == code

    def test_blank_lines_at_the_edges_of_an_indented_block_are_kept(self):
        # Blank lines around an indented block are not part of it; those inside are.
        (element,) = tree("Para.\n\n    a\n\n\n    b\n\n").xpath("//pre/code")
        assert element.text == "a\n\n\nb\n"

    @pytest.mark.parametrize("info", ["", "python"])
    def test_empty_block_is_empty(self, info):
        (element,) = tree(f"```{info}\n```\n").xpath("//pre/code")
        assert element.text_content() == ""

    def test_inline_code(self):
        assert tree("Use `a < b` here.").xpath("//p/code")[0].text == "a < b"

    def test_code_is_escaped(self):
        root = tree("```python\nx = '<script>alert(1)</script>'\n```\n")
        assert not root.xpath("//script")
        assert "<script>" in root.text_content()

    def test_code_past_the_highlight_budget_is_plain(self):
        rendered = render(
            "```python\nx = 1\n```\n\n```python\ny = 2 + 3 + 4 + 5 + 6 + 7\n```\n" * 2,
            Limits(highlight_chars=30),
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


class TestScrollBoxes:
    """A block that may scroll sideways on a phone is a named tab stop; one that fits is not."""

    def test_a_long_line_makes_the_block_a_named_tab_stop(self):
        pre = tree("```sql\nSELECT blocked.pid                  AS blocked_pid\n```\n").xpath(
            "//pre"
        )[0]
        assert (pre.get("tabindex"), pre.get("role"), pre.get("aria-label")) == (
            "0",
            "group",
            "SQL code",
        )

    def test_short_lines_leave_the_block_alone(self):
        pre = tree("```python\nprint('hi')\n```\n").xpath("//pre")[0]
        assert pre.get("tabindex") is None and pre.get("role") is None
        assert pre.get("aria-label") is None

    def test_tabs_count_as_four_columns_and_plain_blocks_are_named_code(self):
        pre = tree("```\n\t\t\t\t\t\tdeep = 1\n```\n").xpath("//pre")[0]
        assert pre.get("aria-label") == "Code" and pre.get("tabindex") == "0"

    def test_the_sanitiser_keeps_only_these_values(self):
        html = sanitize('<pre tabindex="-1" role="button" aria-label="x" onfocus="y">z</pre>')
        pre = parse(html).xpath("//pre")[0]
        assert dict(pre.attrib) == {"aria-label": "x"}


class TestCodeCss:
    @pytest.mark.parametrize("filename", build_code_css.STYLESHEETS)
    def test_committed_css_matches_the_command(self, filename):
        committed = (build_code_css.STATIC_CSS_DIR / filename).read_text(encoding="utf-8")
        assert committed == build_code_css.stylesheet(filename), (
            f"static/css/{filename} is stale: run `manage.py build_code_css` and commit it"
        )

    def test_one_stylesheet_holds_the_site_the_prose_and_both_themes(self, tmp_path):
        out = io.StringIO()
        call_command("build_code_css", output_dir=tmp_path, stdout=out)
        assert "site.css" in out.getvalue()
        site = (tmp_path / "site.css").read_text()
        layout, prose = (build_code_css.SOURCE_DIR / name for name in ("layout.css", "prose.css"))
        assert layout.read_text().strip() in site and prose.read_text().strip() in site
        light, dark = site.split("@media screen and (prefers-color-scheme: dark) {\n  .codeblock")
        assert ".codeblock .k {" in light
        assert ".codeblock pre.highlight { background: #0d1117" in dark
        # Every theme rule is scoped to the code block wrapper.
        themes = site[site.index("/* Code, light") :]
        rules = [line.strip() for line in themes.splitlines() if "{" in line]
        rules = [rule for rule in rules if not rule.startswith("@media")]
        assert rules and all(rule.startswith(".codeblock ") for rule in rules)

    def test_the_preview_stylesheet_has_the_prose_and_themes_without_the_layout(self, tmp_path):
        call_command("build_code_css", output_dir=tmp_path, stdout=io.StringIO())
        preview = (tmp_path / "preview.css").read_text()
        assert ".codeblock .k {" in preview and ".math-display" in preview
        assert ".site-header" not in preview
