"""Each item's tag ids, kept by PostgreSQL in a column Django does not model, for related items.

Related items walk each kind's publication index for the newest items sharing a tag. Through
the link tables that walk probed an index per row (400-570 rows per kind for a popular tag,
8 ms a post page at 100k items); with the ids in the index (`*_related_idx`) it reads the index
alone, and a GIN index answers rare tags. Triggers on the link tables keep the column, so every
way tags change (the ORM from either side, bulk inserts, a tag or an item deleted, raw SQL)
updates it in the same statement; Django never writes it, so a stale instance cannot either.
"""

from django.db import migrations

KINDS = [  # (item table, its link table, the link's item column)
    ("posts_post", "posts_post_tags", "post_id"),
    ("notes_note", "notes_note_tags", "note_id"),
    ("learnings_learning", "learnings_learning_tags", "learning_id"),
    ("bookmarks_bookmark", "bookmarks_bookmark_tags", "bookmark_id"),
]

FUNCTION = """
CREATE FUNCTION content_item_tag_ids() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    items text := TG_ARGV[0];
    item_id text := TG_ARGV[1];
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %1$I FROM new_rows', item_id)
        WHEN 'DELETE' THEN format('SELECT %1$I FROM old_rows', item_id)
        ELSE format('SELECT %1$I FROM new_rows UNION SELECT %1$I FROM old_rows', item_id)
    END;
BEGIN
    EXECUTE format(
        'UPDATE %1$I AS item SET tag_ids = ARRAY('
        '  SELECT link.tag_id FROM %2$I AS link WHERE link.%3$I = item.id ORDER BY 1'
        ') WHERE item.id IN (%4$s)',
        items, TG_TABLE_NAME, item_id, changed
    );
    RETURN NULL;
END
$$;
"""


def kind_sql(items: str, links: str, item_id: str) -> str:
    args = f"'{items}', '{item_id}'"
    return f"""
ALTER TABLE {items} ADD COLUMN tag_ids smallint[] NOT NULL DEFAULT '{{}}';
UPDATE {items} AS item SET tag_ids = ARRAY(
    SELECT link.tag_id FROM {links} AS link WHERE link.{item_id} = item.id ORDER BY 1
);
CREATE INDEX {items}_related_idx ON {items} (status, published_at, id) INCLUDE (tag_ids);
CREATE INDEX {items}_tag_ids_idx ON {items} USING gin (tag_ids);
CREATE TRIGGER {links}_added AFTER INSERT ON {links}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION content_item_tag_ids({args});
CREATE TRIGGER {links}_removed AFTER DELETE ON {links}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION content_item_tag_ids({args});
CREATE TRIGGER {links}_changed AFTER UPDATE ON {links}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION content_item_tag_ids({args});
"""


def kind_reverse_sql(items: str, links: str, item_id: str) -> str:
    triggers = "".join(
        f"DROP TRIGGER {links}_{event} ON {links};" for event in ("added", "removed", "changed")
    )
    return f"{triggers} ALTER TABLE {items} DROP COLUMN tag_ids;"


class Migration(migrations.Migration):
    dependencies = [
        ("site_project", "0005_content_version"),
        ("posts", "0006_pub_index_includes_id"),
        ("notes", "0006_pub_index_includes_id"),
        ("learnings", "0007_pub_index_includes_id"),
        ("bookmarks", "0007_pub_index_includes_id"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION content_item_tag_ids();"),
        *(migrations.RunSQL(kind_sql(*kind), kind_reverse_sql(*kind)) for kind in KINDS),
    ]
