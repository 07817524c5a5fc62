"""GitHub Flavored Markdown: tables, footnotes, task lists, strikethrough, autolinks.

The spec's own examples are in test_markdown_spec.py; these are the cases authors meet.
Autolinks and strikethrough follow cmark-gfm, which GitHub runs: each expectation below is
its output (0.29.0.gfm.13), but for ftp://, which we do not link.
"""

import pytest

from content.markdown import render
from tests.content.conftest import parse, tree


def classes(element) -> set[str]:
    return set(element.get("class", "").split())


def links(source: str) -> list[tuple[str, str]]:
    return [(a.get("href"), a.text_content()) for a in tree(source).xpath("//a")]


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
        links = tree("~~http://example.com~~ and ~https://example.org~").xpath("//del/a")
        assert [(a.get("href"), a.text) for a in links] == [
            ("http://example.com", "http://example.com"),
            ("https://example.org", "https://example.org"),
        ]


class TestAutolinks:
    def test_urls_www_and_email_addresses(self):
        assert links("See https://example.org/a?b=1, www.example.com or me@example.com.") == [
            ("https://example.org/a?b=1", "https://example.org/a?b=1"),
            ("http://www.example.com", "www.example.com"),
            ("mailto:me@example.com", "me@example.com"),
        ]

    def test_file_names_and_bare_domains_are_not_linked(self):
        root = tree("Edit setup.py, main.rs and run.sh; see example.org and www.example.org.")
        assert [a.get("href") for a in root.xpath("//a")] == ["http://www.example.org"]
        assert (
            root.xpath("//p")[0].text == "Edit setup.py, main.rs and run.sh; see example.org and "
        )

    @pytest.mark.parametrize(
        ("source", "expected"),
        [
            # Trailing punctuation stays out, also before a closing parenthesis.
            ("(see https://example.org/a.)", [("https://example.org/a", "https://example.org/a")]),
            ("Go to www.example.org.", [("http://www.example.org", "www.example.org")]),
            # A closing parenthesis belongs to the link while it is balanced.
            (
                "(www.google.com/search?q=Markup+(business))",
                [
                    (
                        "http://www.google.com/search?q=Markup+(business)",
                        "www.google.com/search?q=Markup+(business)",
                    )
                ],
            ),
            (
                "https://en.wikipedia.org/wiki/Pikachu_(Pokémon))",
                [
                    (
                        "https://en.wikipedia.org/wiki/Pikachu_(Pok%C3%A9mon)",
                        "https://en.wikipedia.org/wiki/Pikachu_(Pokémon)",
                    )
                ],
            ),
            # An entity-like suffix is not part of the link.
            (
                "www.google.com/search?q=commonmark&hl;",
                [
                    (
                        "http://www.google.com/search?q=commonmark",
                        "www.google.com/search?q=commonmark",
                    )
                ],
            ),
            ("www.example.org/a&b=c", [("http://www.example.org/a&b=c", "www.example.org/a&b=c")]),
            # Any top-level domain, as long as the address ends with a letter.
            (
                "foo@bar.baz and a.b-c_d@a.b.",
                [
                    ("mailto:foo@bar.baz", "foo@bar.baz"),
                    ("mailto:a.b-c_d@a.b", "a.b-c_d@a.b"),
                ],
            ),
            ("a@b.c-", []),
            (
                "hello+xyz@mail.example",
                [("mailto:hello+xyz@mail.example", "hello+xyz@mail.example")],
            ),
            # A written "mailto:" is part of the link.
            (
                "mailto:me@example.org, or/me@example.org",
                [
                    ("mailto:me@example.org", "mailto:me@example.org"),
                    ("mailto:me@example.org", "me@example.org"),
                ],
            ),
            # www. not after a letter; nothing inside brackets or a link.
            ("xwww.example.org", []),
            ("[see http://example.org] [www.example.org]", []),
            (
                "[a](https://example.org/x) and <https://example.org>",
                [
                    ("https://example.org/x", "a"),
                    ("https://example.org", "https://example.org"),
                ],
            ),
            # Underscores only before the last two parts of the domain.
            (
                "www.a_b.example.com and www.example.a_b.com http://a_b.com",
                [("http://www.a_b.example.com", "www.a_b.example.com")],
            ),
            # Hosts beyond ASCII, percent-encoded in the href as GitHub does.
            (
                "www.exämple.com/x and https://éa b",
                [
                    ("http://www.ex%C3%A4mple.com/x", "www.exämple.com/x"),
                    ("https://%C3%A9a", "https://éa"),
                ],
            ),
            ("mail @example.org", []),
            # Two "@": the address is what stands between them and after the second.
            ("a@b.c@d.ef", [("mailto:b.c@d.ef", "b.c@d.ef")]),
            # `<` ends a link.
            ("www.example.org/he<lp", [("http://www.example.org/he", "www.example.org/he")]),
            # Not ftp: the allow-list has no ftp, the link would have no href.
            ("ftp://example.org", []),
        ],
    )
    def test_where_links_start_and_end(self, source, expected):
        assert links(source) == expected

    def test_external_autolinks_get_noopener_and_emails_do_not(self):
        root = tree("https://example.org and me@example.org")
        assert [a.get("rel") for a in root.xpath("//a")] == ["noopener", None]

    def test_no_link_inside_a_raw_html_link(self):
        # cmark-gfm links the address again inside the <a>, which HTML does not allow.
        assert links('<a href="/x">me@example.org</a>') == [("/x", "me@example.org")]

    def test_escaped_scheme_is_not_a_link(self):
        assert links(r"http\://example.org") == []

    def test_emphasis_around_a_link(self):
        root = parse(render("*www.example.org* and _https://example.org_").html)
        assert [a.get("href") for a in root.xpath("//em/a")] == [
            "http://www.example.org",
            "https://example.org",
        ]
