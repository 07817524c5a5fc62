from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from content.files.exporter import export


class Command(BaseCommand):
    help = (
        "Write every item, drafts included, to DIR/<kind>/<yyyy>-<mm>-<dd>-<slug>.md with YAML "
        "front matter (every field) and the body verbatim, the media they reference to "
        "DIR/media/, and the tags to DIR/tags.yml. `import_markdown DIR` reads it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options) -> None:
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a folder.")
        result = export(directory, self.stderr, progress=options["verbosity"] > 0)
        self.stdout.write(
            f"Exported {result.items} items and {result.media} media files to {directory}."
        )
