"""Statements across the kinds, written in SQL where Django takes longer to build them than
PostgreSQL takes to answer.

A four-kind `UNION ALL` of joined querysets costs Django 3-4 ms to build and compile on this
project's 2-core machine, against 1 ms for PostgreSQL to plan and run it (`docs/performance.md`).
The statements here are strings, so that cost is gone; what a reader may see is still
`published()`, compiled by Django into each statement (`where_of`), never spelt again here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, models


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def where_of(queryset: models.QuerySet) -> tuple[str, list]:
    """The WHERE clause Django compiles for `queryset`, with its parameters.

    Only for filters on the model's own columns: its table must be the statement's, unaliased.
    """
    query = queryset.query
    if len(query.alias_map) > 1:
        raise ValueError("where_of() takes filters on the model's own table only")
    try:
        return query.get_compiler(queryset.db).compile(query.where)
    except EmptyResultSet:  # a filter Django knows matches nothing: pk__in=[]
        return "FALSE", []
    except FullResultSet:  # no filter at all
        return "TRUE", []


def expression_of(queryset: models.QuerySet, expression: models.Expression) -> tuple[str, list]:
    """`expression` compiled as Django would in a SELECT of `queryset` (its own columns)."""
    query = queryset.query
    resolved = expression.resolve_expression(query, allow_joins=False)
    return query.get_compiler(queryset.db).compile(resolved)


@dataclass(frozen=True)
class Table:
    """A model's table, quoted for SQL; for a kind, its link table to tags too."""

    model: type[models.Model]

    @property
    def name(self) -> str:
        return quoted(self.model._meta.db_table)

    def column(self, field: str, table: str = "") -> str:
        """A field's column, qualified by the table's name or by `table`, an alias of it."""
        column = quoted(self.model._meta.get_field(field).column)
        return f"{quoted(table) if table else self.name}.{column}"

    def columns(self, *fields: str) -> str:
        return ", ".join(self.column(field) for field in fields)

    @property
    def tag_ids(self) -> str:
        """A kind's tag ids as an array: a column PostgreSQL keeps from the link table
        (triggers, `content/migrations/0006_item_tag_ids.py`), unknown to the model."""
        return f"{self.name}.{quoted('tag_ids')}"

    @property
    def links(self) -> str:
        return quoted(self.model._meta.get_field("tags").remote_field.through._meta.db_table)

    @property
    def item_id(self) -> str:
        return f"{self.links}.{quoted(self.model._meta.get_field('tags').m2m_column_name())}"

    @property
    def tag_id(self) -> str:
        return f"{self.links}.{quoted(self.model._meta.get_field('tags').m2m_reverse_name())}"

    @property
    def join_links(self) -> str:
        """A kind's rows, once per tag they carry."""
        return f"JOIN {self.links} ON {self.item_id} = {self.column('id')}"


def rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
