from django.core.management.base import BaseCommand

from search.index import rebuild


class Command(BaseCommand):
    help = (
        "Recompute every item's search document and the suggestion words: after changing "
        "what is indexed, or to drop the words of deleted and unpublished items."
    )

    def handle(self, *args, **options) -> None:
        rebuild()
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
