"""The renderer's limits and fallbacks: size caps, budgets, errors, control characters."""

from content.markdown import DEFAULT_LIMITS, Limits, render, tokens
from tests.content.conftest import md, parse


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

        monkeypatch.setattr(tokens, "prepare", broken)
        rendered = render("# Hi <script>\x00")
        assert rendered.html == "<pre># Hi &lt;script&gt;\ufffd</pre>"  # no NUL for PostgreSQL
        assert rendered.warnings == (
            "This text could not be rendered, so it is shown as plain text.",
        )
        assert rendered.word_count == 3
        assert rendered.reading_time == 1

    def test_lines_are_capped(self):
        rendered = render("one\r\ntwo\rthree\nfour\nfive", Limits(source_lines=3))
        assert rendered.excerpt == "one two three"
        assert rendered.warnings == ("The text is longer than 3 lines: the rest is cut off.",)

    def test_dense_punctuation_past_the_budget_is_plain_text(self):
        rendered = render(
            "First *para*.\n\nSecond *para* [[[[.\n\nThird *para* https://x.org",
            Limits(inline_cost=200),
        )
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

    def test_formulas_are_capped(self):
        root_html = render("$a$ $b$ $c$ $d$", Limits(formulas=2))
        root = parse(root_html.html)
        assert len(root.xpath("//math")) == 2
        assert [code.text for code in root.xpath("//code")] == ["c", "d"]
        assert len(root_html.warnings) == 1
        assert "more than 2 formulas" in root_html.warnings[0]

    def test_ampersands_are_capped(self):
        # html5ever gets quadratic on "&" within one text node; past the cap, no nh3 at all.
        rendered = render("# R&D\n\nA & B && C <script>", Limits(ampersands=3))
        assert rendered.html == "<pre># R&amp;D\n\nA &amp; B &amp;&amp; C &lt;script&gt;</pre>"
        assert rendered.warnings == ('The text has more than 3 "&" characters: shown as plain.',)

    def test_raw_html_tags_are_capped(self):
        # html5ever is quadratic in the depth of nested <div>s or <details>.
        rendered = render("<kbd>a</kbd>\n\nand <kbd>b</kbd>", Limits(html_tags=2))
        root = parse(rendered.html)
        assert [kbd.text for kbd in root.xpath("//kbd")] == ["a"]
        assert root.xpath("//p")[-1].text == "and <kbd>b</kbd>"
        assert rendered.warnings == (
            "From line 3 on, HTML is shown as text: the text has more than 2 HTML tags.",
        )

    def test_task_list_checkboxes_are_not_raw_html(self):
        rendered = render("- [ ] a\n- [x] b\n", Limits(html_tags=0))
        assert rendered.html.count('type="checkbox"') == 2
        assert rendered.warnings == ()

    def test_many_unknown_languages_are_cheap(self):
        rendered = render("".join(f"```lang{i}\nx\n```\n" for i in range(300)))
        assert len(rendered.warnings) == DEFAULT_LIMITS.warnings + 1

    def test_long_task_list_is_linear(self):
        rendered = render("- [ ] task\n" * 5000)
        assert rendered.html.count('type="checkbox"') == 5000

    def test_source_is_capped(self):
        rendered = render("short words " * 10, Limits(source_chars=20))
        assert rendered.excerpt == "short words short wo"
        assert "longer than 20 characters" in rendered.warnings[0]

    def test_warnings_are_capped(self):
        rendered = render("$x^$ " * 30)
        assert len(rendered.warnings) == DEFAULT_LIMITS.warnings + 1
        assert rendered.warnings[-1] == "… and 10 more warnings."

    def test_lone_surrogates_and_nul(self):
        rendered = render("a\ud800b\x00c")
        assert rendered.html.encode("utf-8")
        assert rendered.excerpt == "a?b\ufffdc"


def test_control_characters_become_replacement_characters():
    rendered = render("bell\x07 and\x01 nul\x00 tab\tnewline")
    assert "\x07" not in rendered.html and "\x01" not in rendered.html
    assert "\x00" not in rendered.html
    assert rendered.html.count("\ufffd") == 3
    assert "tab\tnewline" in rendered.html
