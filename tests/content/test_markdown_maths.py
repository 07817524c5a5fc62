"""LaTeX maths in Markdown: inline and display MathML, dollars in prose, errors, warnings."""

import pytest

from content.markdown import Limits, render
from tests.content.conftest import parse, tree


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

    def test_overlong_formula_is_an_error(self):
        rendered = render("$x + y + z$", Limits(latex_chars=5))
        assert parse(rendered.html).xpath("//code[@class='math-error']")
        assert "longer than 5 characters" in rendered.warnings[0]

    def test_long_source_is_shortened_in_the_warning(self):
        latex = "x + " * 20 + "\\frac{"
        (warning,) = render(f"${latex}$").warnings
        assert "…" in warning
        assert len(warning) < 150


def table(source: str) -> list[list[tuple[str | None, str]]]:
    """The rows of the one MathML table in the rendered source: (column alignment, text)."""
    rendered = render(source)
    assert rendered.warnings == ()
    (mtable,) = parse(rendered.html).xpath("//math//mtable")
    return [
        [(cell.get("columnalign"), "".join(cell.itertext())) for cell in row.xpath("mtd")]
        for row in mtable.xpath("mtr")
    ]


class TestEnvironments:
    def test_aligned_is_a_table_aligned_on_its_ampersands(self):
        source = "$$\n\\begin{aligned} a &= b + c \\\\ d &= e \\end{aligned}\n$$\n"
        assert table(source) == [
            [("right", "a"), ("left", "=b+c")],
            [("right", "d"), ("left", "=e")],
        ]

    def test_alignedat_loses_its_column_count(self):
        source = "$$\\begin{alignedat}{2} a &= b & c &= d \\end{alignedat}$$"
        assert table(source) == [[("right", "a"), ("left", "=b"), ("right", "c"), ("left", "=d")]]

    def test_aligned_inside_a_brace(self):
        source = r"$f = \left\{ \begin{aligned} a &= 1 \\ b &= 2 \end{aligned} \right.$"
        assert [[text for _, text in row] for row in table(source)] == [["a", "=1"], ["b", "=2"]]

    @pytest.mark.parametrize("environment", ["cases", "dcases"])
    def test_cases(self, environment):
        source = (
            f"$|x| = \\begin{{{environment}}} x & x \\geq 0 \\\\ -x & \\text{{otherwise}} "
            f"\\end{{{environment}}}$"
        )
        assert table(source) == [
            [("left", "x"), ("left", "x≥0")],
            [("left", "−x"), ("left", "otherwise")],
        ]

    @pytest.mark.parametrize(
        ("environment", "fences"),
        [("matrix", []), ("pmatrix", ["(", ")"]), ("bmatrix", ["[", "]"])],
    )
    def test_matrices(self, environment, fences):
        source = f"$\\begin{{{environment}}} 1 & 2 \\\\ 3 & 4 \\end{{{environment}}}$"
        assert table(source) == [[(None, "1"), (None, "2")], [(None, "3"), (None, "4")]]
        formula = parse(render(source).html).xpath("//math")[0]
        assert [mo.text for mo in formula.xpath("mrow/mo")] == fences

    def test_gathered_is_one_centred_column(self):
        source = "$\\begin{gathered} a \\\\ b + c \\end{gathered}$"
        assert table(source) == [[("center", "a")], [("center", "b+c")]]

    def test_unsupported_environment_warns_about_its_ampersands(self):
        rendered = render("Text\n\n$\\begin{rcases} a & b \\end{rcases}$")
        assert rendered.warnings == (
            '"&" on line 3 is shown as text (not in \\begin{rcases}): it aligns columns only '
            "inside aligned, align, cases, matrix, pmatrix, bmatrix or array.",
        )

    def test_stray_ampersand_warns_and_an_escaped_one_does_not(self):
        assert len(render("$a & b$").warnings) == 1
        assert render("$a \\& b$").warnings == ()


class TestDisplayBoxes:
    def test_a_wide_formula_is_a_named_tab_stop_and_a_narrow_one_is_not(self):
        wide = tree(r"$$P(\text{page is slow}) = 1 - (1 - 0.01)^n + \sum_i x_i$$").xpath(
            "//div[@class='math-display']"
        )[0]
        assert (wide.get("tabindex"), wide.get("role"), wide.get("aria-label")) == (
            "0",
            "group",
            "Formula",
        )
        narrow = tree("$$L = \\lambda W$$").xpath("//div[@class='math-display']")[0]
        assert narrow.get("tabindex") is None and narrow.get("role") is None

    def test_bars_get_no_operator_spacing_but_mid_keeps_it(self):
        root = tree(r"$|a - b| \le \|v\|$ and $a \mid b$")
        bars = [mo for mo in root.iter("mo") if mo.text in ("|", "\u2016")]
        assert len(bars) == 4
        assert all(mo.get("lspace") == "0" and mo.get("rspace") == "0" for mo in bars)
        mid = [mo for mo in root.iter("mo") if mo.text == "\u2223"]
        assert mid and mid[0].get("lspace") is None

    def test_a_formula_alone_in_a_table_header_is_named(self):
        root = tree("| Rows | $\\log_{400} N$ |\n|---|---|\n| $x$ | a $y$ |\n")
        header, cell, inline = root.iter("{*}math", "math")
        assert header.get("aria-label") == "log 400 N"
        assert cell.get("aria-label") is None and inline.get("aria-label") is None
