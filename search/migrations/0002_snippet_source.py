"""`search_snippet_source(text)`: a text without the Markdown that means nothing in a snippet.

One SQL function rather than the same eight `regexp_replace` calls written out in every
search query: Django spent most of a results page compiling that expression (eight nested
calls, used twice for each kind on the page), and the patterns now live in one place.

A snapshot, like every migration: changing the patterns takes a new migration that runs
`CREATE OR REPLACE FUNCTION` with the new body.
"""

from django.db import migrations

# (PostgreSQL regular expression, replacement, flags): "n" makes ^ and $ match at each line.
# Code keeps its punctuation: `count(*)` stays `count(*)`.
MARKDOWN_NOISE = [
    (r"^[ \t]*(`{3,}|~{3,}).*$", "", "gn"),  # fence lines, with the language name
    (r"^[ \t]{0,3}#{1,6}[ \t]+", "", "gn"),  # heading marks
    (r"^[ \t|:-]*-{3,}[ \t|:-]*$", "", "gn"),  # table rules
    (r"^[ \t]*\|[ \t]*|[ \t]*\|[ \t]*$|[ \t]\|[ \t]", " ", "gn"),  # table pipes
    (r"^[ \t]*(>[ \t]?)+|^[ \t]*([-+*]|\d+\.)[ \t]+", "", "gn"),  # quote and list markers
    (r"!?\[([^]\n]*)\]\([^)\n]*\)", r"\1", "g"),  # [text](target) -> text
    # *emphasis* and **strong**: a pair around text, not touching letters outside.
    (r"(^|[^[:alnum:]*])(\*{1,3})([^[:space:]*]([^*\n]*[^[:space:]*])?)\2(?![[:alnum:]*])",
     r"\1\3", "gn"),
    (r"`+", "", "g"),  # inline code marks
]  # fmt: skip


def literal(text: str) -> str:
    """A standard SQL string literal (backslashes are plain characters in those)."""
    return "'" + text.replace("'", "''") + "'"


def body() -> str:
    """The patterns applied in order, each to the result of the one before."""
    text = "source"
    for pattern, replacement, flags in MARKDOWN_NOISE:
        text = f"regexp_replace({text}, {literal(pattern)}, {literal(replacement)}, {literal(flags)})"
    return text


# IMMUTABLE (regexp_replace is), so the planner may inline it into the query that calls it.
CREATE = (
    "CREATE FUNCTION search_snippet_source(source text) RETURNS text "
    f"LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN {body()}"
)
DROP = "DROP FUNCTION search_snippet_source(text)"


class Migration(migrations.Migration):
    dependencies = [("search", "0001_searchword")]

    operations = [migrations.RunSQL(CREATE, DROP)]
