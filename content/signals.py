"""Signals for the apps that keep data derived from the content (the search index, caches).

`save()`, deletes and tag changes already send Django's own model signals. Rows written
without `save()` (bulk inserts, the admin's bulk actions) announce themselves with
`bulk_saved`, so the code that writes them needs to know nothing of what depends on them.
"""

from django.dispatch import Signal

# sender: the model; pks: the primary keys of the rows written.
bulk_saved = Signal()

# Sent after the content version was bumped (inside the writer's transaction), for what lives
# outside the database and must follow once it commits (a proxy's cache). sender: ContentVersion.
content_changed = Signal()
