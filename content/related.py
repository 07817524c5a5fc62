"""Related items: of any kind, ranked by how many tags they share with an item, then by date.

Counting every item that shares a tag reads thousands of rows for a popular tag (25-31 ms per
kind at 100k items). Instead each kind offers its newest `WINDOW` (item, shared tag) pairs, a
walk down its publication index, all kinds in one UNION ALL; an item appears once per tag it
shares. So "related" means: among the recent items on its topics, those closest to it. The
pairs carry the titles too (a few dozen rows), so one query answers; a second one for the
titles of the five kept cost more than it saved. The statement is SQL (`content.sql`): Django
took 4 of the 5.7 ms the related items cost a post page to build it.
"""

from __future__ import annotations

from collections import Counter

from content.mixed import stubs
from content.models import Publishable, content_models
from content.sql import Table, rows, where_of

RELATED_ITEMS = 5
WINDOW = 12


def related_items(item: Publishable, limit: int = RELATED_ITEMS) -> list[Publishable]:
    tag_ids = [tag.pk for tag in item.tag_list]
    if not tag_ids:
        return []
    parts, params = [], []
    for model in content_models():
        others = model.objects.published()
        if model is type(item):
            others = others.exclude(pk=item.pk)
        where, where_params = where_of(others)
        kind = Table(model)
        columns = kind.columns("id", "published_at", "title", "slug")
        parts.append(
            f"(SELECT %s, {columns} FROM {kind.name} {kind.join_links}"
            f" WHERE {where} AND {kind.tag_id} = ANY(%s)"
            f" ORDER BY 3 DESC, 2 DESC LIMIT {WINDOW})"
        )
        params += [model._meta.app_label, *where_params, tag_ids]
    pairs = rows(" UNION ALL ".join(parts), params)
    shared = Counter((label, pk) for label, pk, *_ in pairs)
    unique = {row[:2]: row for row in pairs}  # (kind, pk) once, however many tags it shares
    chosen = sorted(unique.values(), key=lambda row: (shared[row[:2]], row[2]), reverse=True)
    related = stubs(chosen[:limit])
    for candidate in related:
        candidate.shared = shared[candidate._meta.app_label, candidate.pk]
    return related
