"""Dollars: which are maths and which stay text (content/markdown/dollars.py)."""

import pytest

from content.markdown import render
from tests.content.conftest import parse


def maths(source: str) -> list[str]:
    """The text of each formula in the rendered source."""
    root = parse(render(source).html)
    return ["".join(formula.itertext()) for formula in root.xpath("//math")]


class TestStayText:
    @pytest.mark.parametrize(
        "source",
        [
            "cp $SRC/$DEST",
            "echo $FOO$BAR",
            "export PATH=$PATH:$HOME/bin",
            "jq '$foo' and '$bar'",
            "for f in $FILES; do echo $f_$i; done",
            "${HOME}$USER",
        ],
    )
    def test_shell_variables_without_a_warning(self, source):
        rendered = render(source)
        assert maths(source) == []
        assert parse(rendered.html).text_content().strip() == source
        assert rendered.warnings == ()

    @pytest.mark.parametrize(
        "source",
        ["$5 and $10", "$1,000 to $2,000", "US$5", "US$5 and US$10", "a $5 tip, $6 total"],
    )
    def test_currency_without_a_warning(self, source):
        rendered = render(source)
        assert maths(source) == []
        assert parse(rendered.html).text_content().strip() == source
        assert rendered.warnings == ()

    def test_escaped_dollars(self):
        assert maths(r"\$x\$ and \$y$") == []

    def test_empty_forced_maths_is_text(self):
        assert maths("a $` `$ b") == []


class TestMaths:
    @pytest.mark.parametrize(
        ("source", "expected"),
        [
            (r"$e^{i\pi}+1=0$", ["eiπ+1=0"]),
            ("$x$", ["x"]),
            ("$a_1$", ["a1"]),
            ("The $x$-axis, $y$.", ["x", "y"]),
            ("($x$) and $x$'s", ["x", "x"]),
            ("so $$x^2$$ holds", ["x2"]),
        ],
    )
    def test_dollars_around_maths(self, source, expected):
        assert maths(source) == expected

    def test_an_escaped_backslash_does_not_escape_the_dollar(self):
        assert maths(r"\\$x$") == ["x"]

    def test_an_escaped_dollar_inside(self):
        assert maths(r"$a\$b$") == ["a$b"]

    def test_maths_in_link_text(self):
        # Link text is first scanned in markdown-it's "silent" mode, then parsed.
        root = parse(render("[$x$ and $`y`$](/u)").html)
        assert ["".join(formula.itertext()) for formula in root.xpath("//a/math")] == ["x", "y"]

    def test_the_first_dollar_decides(self):
        # The $ before DEST may not close $SRC, and no later one is tried instead.
        assert maths("cp $SRC/$DEST and $x$") == ["x"]

    @pytest.mark.parametrize("source", ["the $`n`$th term", "the $``n``$th term"])
    def test_backticks_force_maths(self, source):
        assert maths(source) == ["n"]
        assert parse(render(source).html).text_content().strip() == "the nth term"

    def test_backticks_inside_forced_maths(self):
        assert maths("$``a`b``$") == ["a`b"]

    def test_unclosed_backtick_form_is_text(self):
        assert maths("a $`b and `c` or $`d") == []

    def test_unclosed_backtick_form_in_link_text(self):
        (link,) = parse(render("[$`a](/u)").html).xpath("//a")
        assert link.text == "$`a"

    def test_a_longer_run_of_backticks_does_not_close(self):
        assert maths("$`a``$b`$") == ["a``$b"]


class TestWarnings:
    @pytest.mark.parametrize(
        ("source", "shown", "forced"),
        [
            ("the $n$th term", "$n$th", "$`n`$"),
            ("all $2^n$s of them", "$2^n$s", "$`2^n`$"),
            (r"the $\lambda$s", r"$\lambda$s", r"$`\lambda`$"),
            ("with $x_i$_2", "$x_i$_2", "$`x_i`$"),
        ],
    )
    def test_maths_left_as_dollars_says_how_to_force_it(self, source, shown, forced):
        rendered = render(source)
        assert maths(source) == []
        assert rendered.warnings == (
            f'Dollars left as text on line 1: "{shown}". A closing $ followed by a letter, '
            f"digit or underscore does not end maths; for maths there, write {forced}.",
        )

    def test_warning_quotes_the_line(self):
        rendered = render("Title\n\nSome text\nand the $k$th one.")
        assert rendered.warnings[0].startswith('Dollars left as text on line 4: "$k$th"')

    def test_long_formulas_are_cut_in_the_warning(self):
        formula = r"\sum_{i=1}^{n} x_i + \sum_{j=1}^{m} y_j + z"
        (warning,) = render(f"${formula}$s").warnings
        assert '"$\\sum_{i=1}^{n} x_i + \\sum_{j=1}^{m} y_…"' in warning
        assert warning.endswith("write $`…`$.")
