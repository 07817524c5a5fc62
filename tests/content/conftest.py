"""Helpers shared by the Markdown renderer tests: dedented sources, parsed HTML."""

import textwrap

import lxml.html

from content.markdown import render


def md(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def tree(source: str) -> lxml.html.HtmlElement:
    return parse(render(md(source)).html)
