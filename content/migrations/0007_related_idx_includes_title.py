"""Related items take each kind's newest items sharing a tag from `*_related_idx` alone, the
titles and slugs they show included: no join back to the table for the items kept.

At 100k items, with the join: planning the four-kind statement 0.27-0.34 ms, running it
0.10-0.85 ms; from the index alone: 0.12-0.14 and 0.09-0.43 (`docs/performance.md`).
"""

from django.db import migrations

TABLES = ["posts_post", "notes_note", "learnings_learning", "bookmarks_bookmark"]


def related_index(table: str, include: str) -> str:
    return (
        f"DROP INDEX {table}_related_idx;"
        f" CREATE INDEX {table}_related_idx ON {table} (status, published_at, id)"
        f" INCLUDE ({include});"
    )


class Migration(migrations.Migration):
    dependencies = [("site_project", "0006_item_tag_ids")]

    operations = [
        migrations.RunSQL(
            related_index(table, "tag_ids, title, slug"), related_index(table, "tag_ids")
        )
        for table in TABLES
    ]
