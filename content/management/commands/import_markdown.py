from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from content.files.importer import FORMATS, Importer
from content.files.mapping import kind_named
from content.models import content_models


class Command(BaseCommand):
    help = (
        "Import Markdown files with front matter: a Jekyll site (_posts/YYYY-MM-DD-slug.md), "
        "a Hugo site (content/**.md, YAML or TOML front matter) or an export_markdown folder. "
        "Each file's kind comes from --kind, a `kind:` key, its layout, or its folder. "
        "Running it again updates the items rather than duplicating them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = ", ".join(model._meta.app_label for model in content_models())
        parser.add_argument("directory", type=Path)
        parser.add_argument("--kind", help=f"Import every file as this kind: {kinds}.")
        parser.add_argument("--format", choices=FORMATS, default="auto")
        parser.add_argument(
            "--split-links",
            action="store_true",
            help="Turn a post whose body is a list of `* [title](url): commentary` items into "
            "one bookmark per item, dated on the post's date.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would happen; change nothing."
        )

    def handle(self, *args, directory: Path, kind: str | None, **options) -> None:
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        model = None
        if kind:
            model = kind_named(kind)
            if model is None:
                raise CommandError(f"--kind {kind!r} is not a kind of this site.")
        report = Importer(
            directory,
            kind=model,
            fmt=options["format"],
            split_links=options["split_links"],
            dry_run=options["dry_run"],
            stdout=self.stdout,
            stderr=self.stderr,
            progress=options["verbosity"] > 0,
        ).run()
        counts = ", ".join(f"{n} {action}" for action, n in sorted(report.actions.items()))
        rules = ", ".join(f"{rule} {n}" for rule, n in report.rules.most_common())
        prefix = "Dry run, nothing saved: " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{report.files} files read as {report.fmt}: {counts or 'nothing imported'}"
            + (f"; kinds chosen by {rules}" if rules else "")
            + (f"; {report.split} bookmarks split from link lists" if report.split else "")
            + (f"; {report.media} media files copied" if report.media else "")
            + "."
        )
        if report.failed:
            names = "\n".join(f"  {name}: {message}" for name, message in report.failed)
            raise CommandError(f"{len(report.failed)} file(s) not imported:\n{names}")
