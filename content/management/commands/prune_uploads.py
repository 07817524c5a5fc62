from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from content.uploads import unreferenced_uploads


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


class Command(BaseCommand):
    help = (
        "List uploaded images that no item (draft or published) mentions; with --delete, "
        "remove them. Uploads younger than --older-than hours are kept: an image pasted "
        "into a form that is not saved yet is not mentioned anywhere."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the files listed.")
        parser.add_argument(
            "--older-than",
            type=float,
            default=24,
            metavar="HOURS",
            help="Only uploads at least this many hours old (default: 24).",
        )

    def handle(self, *args, delete: bool, older_than: float, **options) -> None:
        if older_than < 0:
            raise CommandError("--older-than must be zero or more hours.")
        found = list(unreferenced_uploads(timedelta(hours=older_than), progress=self.stderr.write))
        for upload in found:
            stamp = upload.modified.strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{upload.name}  {_size(upload.size)}  uploaded {stamp}")
            if delete:
                default_storage.delete(upload.name)
        total = _size(sum(upload.size for upload in found))
        if not found:
            self.stdout.write("No unreferenced uploads.")
        elif delete:
            self.stdout.write(self.style.SUCCESS(f"Removed {len(found)} files ({total})."))
        else:
            self.stdout.write(
                f"{len(found)} files ({total}) are not referenced; --delete removes them."
            )
