"""Synthetic content at scale, for benchmarks: bulk inserts, Markdown rendered in parallel."""

import datetime
import multiprocessing
import random
import sys
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from content import synthetic
from content.models import Status, Tag, content_models
from content.progress import Progress
from content.signals import bulk_saved

BATCH = 1000
YEARS = 10


class Command(BaseCommand):
    help = (
        "Create realistic synthetic content with bulk inserts, e.g. "
        "`generate_content --posts 10000 --notes 20000 --learnings 40000 --bookmarks 30000`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        for label in ("posts", "notes", "learnings", "bookmarks"):
            parser.add_argument(f"--{label}", type=int, default=0, metavar="N")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same content.")
        parser.add_argument("--tags", type=int, default=200, help="Size of the tag vocabulary.")

    def handle(self, *args, seed: int, tags: int, **options) -> None:
        counts = {label: options[label] for label in ("posts", "notes", "learnings", "bookmarks")}
        if any(n < 0 for n in counts.values()) or tags < 1:
            self.stderr.write("Counts must be zero or more, and --tags at least 1.")
            sys.exit(2)
        rng = random.Random(seed)
        started = time.monotonic()
        tag_objects = self._tags(tags)
        # Zipf-like weights: a few tags are everywhere, most are rare, as on real sites.
        weights = [1 / (rank + 1) ** 1.1 for rank in range(len(tag_objects))]
        now = timezone.now()
        # forkserver: the render workers start clean, sharing no database connection.
        with multiprocessing.get_context("forkserver").Pool() as pool:
            for model in content_models():
                label = model._meta.app_label
                if counts.get(label):
                    self._generate(model, counts[label], rng, seed, now, tag_objects, weights, pool)
        total = sum(counts.values())
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {total} items in {elapsed:.1f} s ({total / elapsed:.0f}/s)."
            )
        )

    def _tags(self, count: int) -> list[Tag]:
        names = synthetic.tag_names(count)
        existing = {tag.name.casefold(): tag for tag in Tag.objects.all()}
        missing = [n for n in names if n.casefold() not in existing]
        Tag.objects.bulk_create(
            [Tag(name=n, slug=synthetic.slug(n)) for n in missing], ignore_conflicts=True
        )
        by_name = {tag.name.casefold(): tag for tag in Tag.objects.all()}
        return [by_name[n.casefold()] for n in names]

    def _generate(self, model, count, rng, seed, now, tags, weights, pool) -> None:
        label = model._meta.app_label
        make = getattr(synthetic, label)
        progress = Progress(label, count)
        start_index = model.objects.count()
        for batch_start in range(0, count, BATCH):
            size = min(BATCH, count - batch_start)
            specs = [make(rng, f"{seed}-{start_index + batch_start + i}") for i in range(size)]
            rendered = pool.map(
                synthetic.rendered_fields, [spec["body"] for spec in specs], chunksize=25
            )
            items = []
            for spec, (html, toc, excerpt, minutes, words, warnings) in zip(
                specs, rendered, strict=True
            ):
                published = now - datetime.timedelta(seconds=rng.randrange(YEARS * 365 * 86400))
                fields = {k: v for k, v in spec.items() if k != "tags"}
                items.append(
                    model(
                        **fields,
                        body_html=html,
                        toc=toc,
                        excerpt=excerpt,
                        reading_time=minutes,
                        word_count=words,
                        render_warnings=warnings,
                        status=Status.PUBLISHED,
                        published_at=published,
                    )
                )
            with transaction.atomic():
                created = model.objects.bulk_create(items)
                through = model.tags.through
                links = []
                for item in created:
                    chosen = {id(t): t for t in rng.choices(tags, weights, k=rng.randint(1, 4))}
                    fk = f"{model._meta.model_name}_id"
                    links += [through(**{fk: item.pk, "tag_id": t.pk}) for t in chosen.values()]
                through.objects.bulk_create(links, ignore_conflicts=True)
                # Bulk inserts skip save(): whatever keeps derived data catches up.
                bulk_saved.send(sender=model, pks=[item.pk for item in created])
            progress.update(batch_start + size)
        progress.finish()
