"""Search: fill the new `search_vector` columns, and create the typo-suggestion word table.

The SQL is a snapshot of `site_project.search.document()` and of `published()` as they are
today, so this migration keeps working whatever those become later; a change to the
document needs its own data migration calling `refresh_search_vectors`.
"""

from django.db import migrations

# (table, link table, link column, B-weight columns besides tag names)
KINDS = [
    ("posts_post", "posts_post_tags", "post_id", ["summary"]),
    ("notes_note", "notes_note_tags", "note_id", ["excerpt"]),
    ("learnings_learning", "learnings_learning_tags", "learning_id", ["excerpt"]),
    ("bookmarks_bookmark", "bookmarks_bookmark_tags", "bookmark_id", ["excerpt", "domain"]),
]


def fill_vectors(table, links, column, b_columns):
    tag_names = (
        f"(SELECT string_agg(tag.name, ' ' ORDER BY tag.name) FROM {links} link "
        f"JOIN site_project_tag tag ON tag.id = link.tag_id WHERE link.{column} = item.id)"
    )
    b_text = " || ' ' || ".join(f"coalesce({c}, '')" for c in [tag_names, *b_columns])
    tag_terms = (
        f"array_to_tsvector(ARRAY(SELECT 'tag#' || link.tag_id::text FROM {links} link "
        f"WHERE link.{column} = item.id))"
    )
    return (
        f"UPDATE {table} AS item SET search_vector = "
        "setweight(to_tsvector('english', coalesce(item.title, '')), 'A') || "
        f"setweight(to_tsvector('english', {b_text}), 'B') || "
        "setweight(to_tsvector('english', coalesce(item.body, '')), 'C') || "
        f"{tag_terms}"
    )


def storage(table):
    """Vectors inline (MAIN) and lz4-compressed, so reading one costs a heap page and a fast
    decompression, and the planner's idea of a heap page matches the real cost.

    Out of line (the default for long posts) every row checked costs TOAST lookups the planner
    does not count, and it prefers reading many rows by date over the GIN index. Servers built
    without lz4 keep pglz.
    """
    return [
        f"ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE MAIN",
        "DO $$ BEGIN "
        f"ALTER TABLE {table} ALTER COLUMN search_vector SET COMPRESSION lz4; "
        "EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL; "
        "END $$",
    ]


def published_words(table, links, column):
    published = "status = 'published' AND published_at <= now()"
    return (
        f"SELECT title FROM {table} WHERE {published} UNION ALL "
        f"SELECT tag.name FROM {links} link JOIN site_project_tag tag ON tag.id = link.tag_id "
        f"WHERE link.{column} IN (SELECT id FROM {table} WHERE {published})"
    )


WORDS = " UNION ALL ".join(published_words(t, links, c) for t, links, c, _ in KINDS)


class Migration(migrations.Migration):
    dependencies = [
        ("site_project", "0002_initial"),
        ("posts", "0002_search_vector"),
        ("notes", "0002_search_vector"),
        ("learnings", "0002_search_vector"),
        ("bookmarks", "0002_search_vector"),
    ]

    operations = [
        *[migrations.RunSQL(storage(kind[0]), migrations.RunSQL.noop) for kind in KINDS],
        *[
            migrations.RunSQL(fill_vectors(*kind), migrations.RunSQL.noop, elidable=True)
            for kind in KINDS
        ],
        migrations.RunSQL(
            [
                "CREATE TABLE site_project_searchword "
                "(word text PRIMARY KEY, ndoc integer NOT NULL DEFAULT 1)",
                # Trigram GiST: `ORDER BY word <-> 'asycnio' LIMIT 1` is a nearest-neighbour
                # index scan, however many words there are.
                "CREATE INDEX site_project_searchword_trgm "
                "ON site_project_searchword USING gist (word gist_trgm_ops)",
                "INSERT INTO site_project_searchword (word, ndoc) SELECT w, count(*) FROM "
                f"({WORDS}) AS texts(text), "
                "regexp_split_to_table(lower(texts.text), '[^[:alnum:]]+') AS w "
                "WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$' GROUP BY w",
            ],
            "DROP TABLE site_project_searchword",
        ),
    ]
