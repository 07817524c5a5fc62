"""Searching: ranked matches across the kinds, with snippets and a typo suggestion.

The document and its upkeep are in index.py; the facets beside the results in facets.py.
"""

from __future__ import annotations

import datetime
import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Left, Length, NullIf
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from content.mixed import card_fields, stub_columns, stubs
from content.models import Publishable, Tag, content_models
from content.querysets import SEARCH_CONFIG, tag_list, tags_of, union_all
from content.sql import Table, expression_of, rows, where_of
from search.index import TAG_TERM
from search.query import WORD, Term, nearest_words, search_query

# Characters of a body that snippets are taken from.
SNIPPET_SOURCE = 1200
# Words in a snippet: at most, and at least when the passage allows.
SNIPPET_MAX_WORDS, SNIPPET_MIN_WORDS = 30, 12
# At most this many words of a query are checked for a better spelling.
SUGGESTED_WORDS = 8
# Random per process, so no text an author writes can forge a highlight (see `marked`).
_START, _STOP = f"hl{secrets.token_hex(8)}s", f"hl{secrets.token_hex(8)}e"
# `Search.load` computes a hit's snippet source once, as this column, for its headline.
SOURCE = RawSQL("source", (), output_field=models.TextField())


class RecencyBoost(models.Func):
    """A gentle multiplier: ×1.5 today, ×1.25 a year ago, ×1.05 ten years ago."""

    template = (
        "(1.0 + 0.5 / (1.0 + GREATEST(EXTRACT(EPOCH FROM (now() - %(expressions)s))::float8,"
        " 0) / 31557600.0))"
    )
    output_field = models.FloatField()


@dataclass(frozen=True)
class Hit:
    kind: str  # the app label: "posts"
    pk: int
    published_at: datetime.datetime
    score: float
    tag_ids: list[int]


@dataclass
class Results:
    """The matches of one search, ranked, with what the facets need.

    `complete` is False when some kind had more than `Search.window` matches: then only its
    newest `window` are ranked and listed, and its count is a lower bound.
    """

    hits: list[Hit]
    counts: dict[str, int]  # by kind (app label), for the kinds searched
    complete: bool

    @property
    def total(self) -> int:
        return len(self.hits)

    def year_counts(self) -> list[tuple[int, int]]:
        """[(year, matches)], newest first, years in the author's time zone."""
        years = Counter(timezone.localtime(hit.published_at).year for hit in self.hits)
        return sorted(years.items(), reverse=True)

    def tag_counts(self) -> Counter[int]:
        """{tag id: how many of the matches carry it}."""
        return Counter(tag_id for hit in self.hits for tag_id in hit.tag_ids)


@dataclass(frozen=True)
class Search:
    """One search: the text and the optional filters (kind is an app label, e.g. "notes").

    Per kind, only the newest `window` matches are ranked and listed (see `results`).
    """

    text: str
    kind: str | None = None
    tag: Tag | None = None
    year: int | None = None
    window: int = field(default_factory=lambda: settings.SEARCH_WINDOW)

    @property
    def query(self) -> SearchQuery:
        return search_query(self.text)

    def models(self) -> list[type[Publishable]]:
        return [m for m in content_models() if self.kind in (None, m._meta.app_label)]

    def matches(self, model: type[Publishable]) -> models.QuerySet:
        """Published items of `model` matching the query, narrowed by the filters."""
        query = self.query
        if self.tag is not None:
            query &= Term(f"{TAG_TERM}{self.tag.pk}")
        items = model.objects.published().order_by().filter(search_vector=query)
        if self.year is not None:
            items = items.filter(published_at__year=self.year)
        return items

    def results(self) -> Results:
        """One query: for each kind, its newest `window` + 1 matches with score and tags.

        Taking the newest by the (status, published_at) index stops early however common the
        words are, where ranking every match would read every matching row's vector. The
        statement is SQL around what Django compiles (`content.sql`): building it as four
        annotated querysets cost more than PostgreSQL takes to answer it.
        """
        parts, params = [], []
        for model in self.models():
            matches, table = self.matches(model), Table(model)
            rank = SearchRank(models.F("search_vector"), self.query)
            score, score_params = expression_of(matches, rank * RecencyBoost("published_at"))
            where, where_params = where_of(matches)
            parts.append(
                f"(SELECT %s, {table.columns('id', 'published_at')}, {score}, {table.tag_ids}"
                f" FROM {table.name} WHERE {where} ORDER BY 3 DESC, 2 DESC LIMIT {self.window + 1})"
            )
            params += [model._meta.app_label, *score_params, *where_params]
        by_kind: dict[str, list[Hit]] = {}
        for row in rows(" UNION ALL ".join(parts), params):
            by_kind.setdefault(row[0], []).append(Hit(*row))
        window = self.window
        complete = all(len(hits) <= window for hits in by_kind.values())
        hits: list[Hit] = []
        for found in by_kind.values():  # each kind's newest `window`, whatever the row order
            hits += sorted(found, key=lambda hit: (hit.published_at, hit.pk))[-window:]
        hits.sort(key=lambda h: (h.score, h.published_at, h.pk), reverse=True)
        counts = {m._meta.app_label: len(by_kind.get(m._meta.app_label, [])) for m in self.models()}
        return Results(hits, {k: min(n, window) for k, n in counts.items()}, complete)

    def load(self, hits: list[Hit]) -> list[Publishable]:
        """The items of these hits, in order, as cards (`content.mixed.stubs`) with their tags
        and `search_snippet`.

        One statement for every kind, the snippets computed in it (so only for these items).
        As a queryset per kind, Django took longer to build the four statements than
        PostgreSQL to answer them.
        """
        wanted: dict[str, list[int]] = {}
        for hit in hits:
            wanted.setdefault(hit.kind, []).append(hit.pk)
        parts, params = [], []
        for model in self.models():
            if model._meta.app_label not in wanted:
                continue
            items, table = model.objects.order_by(), Table(model)
            # The source is computed once per row, in the inner SELECT, for the headline too.
            source, source_params = expression_of(items, snippet_source(model))
            length, length_params = expression_of(items, Length(body_or_summary(model)))
            headline, headline_params = expression_of(items, self.headline(SOURCE))
            card = stub_columns(model, card_fields(model))
            parts.append(
                f"SELECT %s, item.*, {headline} FROM (SELECT {card},"
                f" {source} AS source, {length} AS size, {tags_of(table.tag_ids)} AS tags"
                f" FROM {table.name} WHERE {table.column('id')} = ANY(%s)) AS item"
            )
            params += [model._meta.app_label, *headline_params]
            params += [*source_params, *length_params, wanted[model._meta.app_label]]
        if not parts:
            return []
        found = {(row[0], row[1]): row for row in rows(" UNION ALL ".join(parts), params)}
        kept = [found[key] for key in ((hit.kind, hit.pk) for hit in hits) if key in found]
        items = stubs([row[:6] for row in kept])
        for item, (*_, source, length, tags, headline) in zip(items, kept, strict=True):
            item.search_snippet = marked(headline, source, length > SNIPPET_SOURCE)
            item.tag_list = tag_list(tags)
        return items

    def headline(self, source: models.Expression) -> SearchHeadline:
        """The best passage of `source` (see `snippet_source`), with the matching words
        between sentinels that `marked` turns into <mark>."""
        return SearchHeadline(
            source,
            self.query,
            config=SEARCH_CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=SNIPPET_MAX_WORDS,
            min_words=SNIPPET_MIN_WORDS,
        )

    def suggestion(self, found: int) -> str | None:
        """The query with each unknown word replaced by the nearest title or tag word.

        Only offered when the corrected query finds more than the `found` of this one (which
        also keeps words of unpublished items out of suggestions).
        """
        tokens = [
            m
            for m in WORD.finditer(self.text)
            if len(m.group()) >= 3
            and not m.group().isdigit()
            and m.group().casefold() != "or"
            and not self.text[: m.start()].endswith("-")
        ][:SUGGESTED_WORDS]
        if not tokens:
            return None
        nearest = nearest_words([m.group().lower() for m in tokens])
        corrected, end = [], 0
        for m in tokens:
            better = nearest.get(m.group().lower())
            if better and better != m.group().lower():
                corrected += [self.text[end : m.start()], better]
                end = m.end()
        if not corrected:
            return None
        text = "".join([*corrected, self.text[end:]])
        fixed = Search(text, self.kind, self.tag, self.year, self.window)
        return text if _count(fixed, limit=found + 1) > found else None


class SnippetSource(models.Func):
    """`search_snippet_source(text)`, the SQL function made by migration search 0002."""

    function = "search_snippet_source"
    output_field = models.TextField()


def snippet_source(model: type[Publishable]) -> models.Func:
    """The plain text snippets are taken from: the first SNIPPET_SOURCE characters of the body
    (or the summary, when there is no body) without the Markdown that means nothing in a
    snippet: fence lines and their language names, heading marks, table rules and pipes,
    link targets, emphasis, backticks, quote and list markers. Code keeps its punctuation:
    `count(*)` stays `count(*)`.

    The patterns are in the SQL function (search/migrations/0002_snippet_source.py): written
    out here, Django spent more time compiling them than PostgreSQL spent applying them.
    """
    return SnippetSource(Left(body_or_summary(model), SNIPPET_SOURCE))


def body_or_summary(model: type[Publishable]) -> Coalesce:
    """The body, or the summary when the body is empty."""
    return Coalesce(NullIf("body", models.Value("")), model.summary_field)


_ELLIPSIS = "…"


def marked(headline: str, source: str = "", cut: bool = False) -> SafeString:
    """A headline as HTML: the source is plain text (Markdown), so everything is escaped, then
    only the sentinels become <mark> and </mark>. Nothing an author writes survives as a tag.

    An ellipsis stands where the passage starts after the beginning of `source` or stops
    before its end (or `source` was itself `cut` from a longer text).
    """
    plain = " ".join(headline.replace(_START, "").replace(_STOP, "").split())
    whole = " ".join(source.split())
    html = escape(" ".join(headline.split())).replace(_START, "<mark>").replace(_STOP, "</mark>")
    if plain and whole:
        if not whole.startswith(plain[:40]):
            html = f"{_ELLIPSIS} {html}"
        if cut or not whole.endswith(plain[-40:]):
            html = f"{html} {_ELLIPSIS}"
    return mark_safe(html)  # escaped just above; the only tags are ours


def _count(search: Search, limit: int) -> int:
    """How many match, counting no further than `limit`: one query."""
    parts = [search.matches(m).values_list("pk")[:limit] for m in search.models()]
    return len(union_all(parts))
