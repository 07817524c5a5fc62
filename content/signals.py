"""Signals for the apps that keep data derived from the content (the search index).

`save()`, deletes and tag changes already send Django's own model signals. Rows written
without `save()` (bulk inserts) announce themselves with `bulk_saved`, so the code that
writes them needs to know nothing of what depends on them.
"""

from django.dispatch import Signal

# sender: the model; pks: the primary keys of the rows written.
bulk_saved = Signal()
