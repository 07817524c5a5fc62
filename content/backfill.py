"""Data migrations the kinds share: a column derived from the body, filled in for the rows
saved before the column existed (new saves fill it in `Publishable.render_body()`)."""

from django.db import migrations

from content.markdown import render

BATCH = 500


def count_words(app_label: str, model_name: str) -> migrations.RunPython:
    """`word_count` for every existing row, from the one renderer, in batches."""

    def forwards(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        total = model.objects.count()
        batch, done = [], 0

        def flush() -> None:
            nonlocal batch, done
            # bulk_update leaves updated_at alone: counting words is not an edit.
            model.objects.bulk_update(batch, ["word_count"])
            done += len(batch)
            batch = []
            if total > BATCH:
                print(f"  counted the words of {done:,}/{total:,} {app_label}", flush=True)

        for item in model.objects.only("pk", "body").order_by("pk").iterator(chunk_size=BATCH):
            item.word_count = render(item.body).word_count
            batch.append(item)
            if len(batch) == BATCH:
                flush()
        if batch:
            flush()

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
