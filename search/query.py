"""What a reader typed, made safe to send to PostgreSQL, and the terms built from it."""

from __future__ import annotations

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchQueryCombinable, SearchQueryField
from django.db import connection, models

from content.querysets import text_query
from search.models import SearchWord

MAX_QUERY_LENGTH = 200
# How alike two words must be (pg_trgm similarity) for one to be suggested for the other.
SIMILARITY = 0.25
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
WORD = re.compile(r"[^\W_]+")
# A websearch term: an optional "-", then a "quoted phrase" (maybe unterminated) or a word.
_TERM = re.compile(r'(-?)("[^"]*"?|[^\s"]+)')


class Term(SearchQueryCombinable, models.Func):
    """One lexeme, taken literally, as a tsquery: `Term("tag#4")`."""

    template = "%(expressions)s::tsquery"
    output_field = SearchQueryField()

    def __init__(self, lexeme: str):
        super().__init__(models.Value(f"'{lexeme}'"))


def clean_query_text(text: str) -> str:
    """What may reach PostgreSQL: no control characters (NUL breaks the driver), ≤ 200 chars."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def has_words(text: str) -> bool:
    """Whether `text` asks for something: a word outside an -exclusion (websearch syntax).

    "-caching" alone would mean "everything without caching": no use to a reader, and a
    query the GIN index cannot answer (every row would be read).
    """
    for sign, term in _TERM.findall(text):
        if not sign and term.casefold() != "or" and WORD.search(term):
            return True
    return False


def search_query(text: str) -> SearchQuery:
    """Web-search syntax: "quoted phrase", -excluded, a or b. Never a syntax error."""
    return text_query(clean_query_text(text))


def nearest_words(words: list[str]) -> dict[str, str | None]:
    """{word: the most similar title or tag word, or None below SIMILARITY}: one query.

    The trigram GiST index orders by distance (KNN), so no threshold setting is involved and
    swapped letters ("pyhton", similarity 0.27) still find their word. A known word is its
    own nearest; ties go to the more common word.
    """
    table = SearchWord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT q.word, (SELECT w.word FROM {table} w "
            "WHERE similarity(w.word, q.word) >= %s "
            "ORDER BY w.word <-> q.word, w.ndoc DESC, w.word LIMIT 1) "
            "FROM unnest(%s::text[]) AS q(word)",
            [SIMILARITY, words],
        )
        return dict(cursor.fetchall())
