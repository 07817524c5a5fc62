"""Query helpers that know no model, so models.py can use them too."""

from django.db.models import QuerySet


def union_all(parts: list[QuerySet]) -> list[tuple]:
    """UNION ALL of compatible querysets, evaluated as one query."""
    if not parts:
        return []
    first, *rest = parts
    if not rest:
        return list(first)
    # The union would inherit the models' Meta.ordering, which names columns it lacks.
    return list(first.union(*rest, all=True).order_by())
