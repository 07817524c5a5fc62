import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from content import demo
from content.history import revision
from content.models import Status, Tag, content_models

# Keys of the demo files that are not model fields.
META_KEYS = {"tags", "days_ago", "time", "status"}


def demo_datetime(days_ago: int, hhmm: str) -> datetime.datetime:
    """Relative dates keep the demo alive: `days_ago` days before today, local time."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class Command(BaseCommand):
    help = "Load the demo content (content/demo/*.toml). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any content exists."
        )

    def handle(self, *args, if_empty: bool, **options) -> None:
        if if_empty and any(model.objects.exists() for model in content_models()):
            self.stdout.write("Content exists: demo content not loaded.")
            return
        # One revision for the whole load (each item's first version), in one transaction.
        with revision("Demo content loaded"):
            self._load()

    def _load(self) -> None:
        tags = {}
        for spec in demo.load("tags"):
            tag, _ = Tag.objects.update_or_create(
                slug=spec["slug"],
                defaults={"name": spec["name"], "description": spec.get("description", "")},
            )
            tags[tag.name.casefold()] = tag
        for model in content_models():
            label = model._meta.app_label
            created = 0
            for spec in demo.load(label):
                if model.objects.filter(slug=spec["slug"]).exists():
                    continue
                fields = {key: value for key, value in spec.items() if key not in META_KEYS}
                item = model(
                    **fields,
                    status=spec.get("status", Status.PUBLISHED),
                    published_at=demo_datetime(spec["days_ago"], spec["time"]),
                )
                item.save()
                item.tags.set(tags[name.casefold()] for name in spec.get("tags", []))
                created += 1
            self.stdout.write(f"{model._meta.verbose_name_plural}: {created} created")
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
