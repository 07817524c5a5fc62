from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import timezone

from bookmarks.digest import compose, parse_week
from bookmarks.weeks import IsoWeek
from content.models import site_url


class Command(BaseCommand):
    help = (
        "Make a draft 'Weekly notes: week N, YYYY' listing that week's published bookmarks as "
        "`* [title](url): commentary`. Default: the current week."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", help="An ISO week, e.g. 2026-W48.")

    def handle(self, *args, week: str | None, **options) -> None:
        try:
            chosen = parse_week(week) if week else IsoWeek.of(timezone.now())
        except ValueError as error:
            raise CommandError(str(error)) from error
        try:
            digest, created = compose(chosen)
        except ValueError as error:
            raise CommandError(str(error)) from error
        meta = digest._meta
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[digest.pk])
        if created:
            count = sum(line.startswith("* [") for line in digest.body.splitlines())
            self.stdout.write(
                f"Drafted “{digest.title}” with {count} bookmarks: {site_url(change)}"
            )
        else:
            self.stdout.write(f"“{digest.title}” already exists, left as it is: {site_url(change)}")
