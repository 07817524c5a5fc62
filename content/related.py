"""Related items: of any kind, ranked by how many tags they share with an item, then by date.

Counting every item that shares a tag reads thousands of rows for a popular tag (25-31 ms per
kind at 100k items). Instead each kind offers its newest `WINDOW` items that share a tag, all
kinds in one UNION ALL, and the tags they share are counted here. So "related" means: among
the recent items on its topics, those closest to it.

Each kind's tag ids are a column PostgreSQL keeps (`Table.tag_ids`), in the publication index
that the walk reads without touching the table (`*_related_idx`); a rare tag is answered by a
GIN index instead. The index holds the titles and slugs too, so the items kept need no join
back to their table: with one, planning the statement took twice as long (0.3 ms at 100k
items), and running it up to twice as long (content/migrations/0007). Through the link tables
the same walk probed an index for every row it passed: 6-8 ms a post page at 100k items.
The statement is SQL (`content.sql`): Django took 4 of the 5.7 ms the related items cost a
post page to build it.
"""

from __future__ import annotations

from content.mixed import stub_columns, stubs
from content.models import Publishable, content_models
from content.sql import Table, rows, where_of

RELATED_ITEMS = 5
WINDOW = 12


def related_items(item: Publishable, limit: int = RELATED_ITEMS) -> list[Publishable]:
    tag_ids = {tag.pk for tag in item.tag_list}
    if not tag_ids:
        return []
    parts, params = [], []
    for model in content_models():
        others = model.objects.published()
        if model is type(item):
            others = others.exclude(pk=item.pk)
        where, where_params = where_of(others)
        kind = Table(model)
        parts.append(
            f"(SELECT %s, {stub_columns(model)}, {kind.tag_ids} FROM {kind.name}"
            f" WHERE {where} AND {kind.tag_ids} && %s::smallint[]"
            f" ORDER BY 3 DESC, 2 DESC LIMIT {WINDOW})"
        )
        params += [model._meta.app_label, *where_params, sorted(tag_ids)]
    # Each row is what `stubs` reads, then the item's tag ids.
    candidates = [
        (len(tag_ids.intersection(row[-1])), row[:-1])
        for row in rows(" UNION ALL ".join(parts), params)
    ]
    candidates.sort(key=lambda candidate: (candidate[0], candidate[1][2]), reverse=True)
    kept = candidates[:limit]
    related = stubs([row for _, row in kept])
    for item, (shared, _) in zip(related, kept, strict=True):
        item.shared = shared
    return related
