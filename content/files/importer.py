"""Importing a folder of Markdown files: a Jekyll site, a Hugo site, or this site's export.

Each file becomes one item (found again by kind and slug, so a second run updates), or,
with `split_links`, a "weekly notes" post made of `* [title](url): commentary` items becomes
one item of the link kind per item (found again by its link). A file that cannot be read
or does not validate is reported by name; the others are imported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import yaml
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.db import transaction

from content.files import frontmatter, media
from content.files.links import parse_links
from content.files.mapping import (
    Entry,
    FileProblem,
    name_parts,
    read_entry,
    save_entry,
)
from content.history import revision
from content.models import Publishable, Tag, content_models
from content.progress import Progress

FORMATS = ("auto", "jekyll", "hugo")
SUFFIXES = {".md", ".markdown"}
# Jekyll folders that hold no content.
JEKYLL_OTHER = {"_site", "_layouts", "_includes", "_data", "_sass", "_plugins", "_config"}
SKIPPED_DIRS = {".git", "node_modules", "vendor", media.MEDIA_FOLDER}
TAGS_FILE = "tags.yml"


@dataclass(frozen=True)
class Source:
    path: Path
    name: str  # relative to the folder imported, for messages
    folder: str  # what the file's folder says its kind is
    draft_folder: bool = False


def _markdown_files(base: Path) -> list[Path]:
    return sorted(
        path
        for path in base.rglob("*")
        if path.suffix in SUFFIXES
        and not SKIPPED_DIRS & set(path.relative_to(base).parts[:-1])
        and not path.is_dir()
    )


def discover(root: Path, fmt: str) -> tuple[str, list[Source]]:
    """(the format read, the files): Jekyll's `_posts/`, `_drafts/` and collections; Hugo's
    `content/` sections (its `_index.md` list pages are not items); else every .md file."""
    if fmt == "auto":
        if (root / "_posts").is_dir() or (root / "_config.yml").exists():
            fmt = "jekyll"
        elif (root / "content").is_dir() or (root / "hugo.toml").exists():
            fmt = "hugo"
        else:
            fmt = "files"
    sources = []
    if fmt == "jekyll":
        for path in _markdown_files(root):
            parts = path.relative_to(root).parts[:-1]
            folders = [p for p in parts if p.startswith("_") and p not in JEKYLL_OTHER]
            if not folders:
                continue  # a page of the site (about.md), not a post
            folder = folders[-1].removeprefix("_")
            draft = folder == "drafts"
            folder = "posts" if folder in ("posts", "drafts") else folder
            sources.append(Source(path, str(path.relative_to(root)), folder, draft))
    else:
        base = root / "content" if fmt == "hugo" and (root / "content").is_dir() else root
        for path in _markdown_files(base):
            if path.name == "_index.md":
                continue
            parts = path.relative_to(base).parts
            folder = parts[0] if len(parts) > 1 else ""
            sources.append(Source(path, str(path.relative_to(root)), folder))
    return fmt, sources


def link_kind() -> type[Publishable] | None:
    return next((model for model in content_models() if model.link_field), None)


@dataclass
class Report:
    fmt: str = ""
    files: int = 0
    actions: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)
    split: int = 0
    media: int = 0


class Importer:
    def __init__(
        self,
        root: Path,
        *,
        kind: type[Publishable] | None = None,
        fmt: str = "auto",
        split_links: bool = False,
        dry_run: bool = False,
        stdout: TextIO,
        stderr: TextIO,
        progress: bool = True,
    ) -> None:
        self.root, self.kind, self.fmt = root, kind, fmt
        self.split_links, self.dry_run = split_links, dry_run
        self.stdout, self.stderr, self.show_progress = stdout, stderr, progress
        self.report = Report()
        self.media_paths: set[str] = set()

    def run(self) -> Report:
        self.report.fmt, sources = discover(self.root, self.fmt)
        self.report.files = len(sources)
        # A dry run does everything in a transaction it then rolls back: what it prints is
        # what a real run would do, validation included.
        with transaction.atomic():
            self.import_tags()
            progress = Progress("files", len(sources), self.stderr)
            self.progress = progress
            for done, source in enumerate(sources, 1):
                self.import_file(source)
                if self.show_progress:
                    progress.update(done)
            if self.show_progress and sources:
                progress.finish()
            if self.dry_run:
                transaction.set_rollback(True)
        if not self.dry_run:
            self.report.media = media.copy_in(self.media_paths, self.root)
        return self.report

    def say(self, text: str, stream: TextIO | None = None) -> None:
        self.progress.say(text, stream or self.stdout)

    def import_tags(self) -> None:
        """Tag slugs and descriptions from an export's tags.yml."""
        path = self.root / TAGS_FILE
        if not path.exists():
            return
        try:
            specs = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            self.report.failed.append((TAGS_FILE, f"cannot read: {error}"))
            return
        for spec in specs if isinstance(specs, list) else []:
            name = str(spec.get("name") or "").strip()
            if not name:
                continue
            tag = Tag.objects.filter(name__iexact=name).first()
            slug = str(spec.get("slug") or "")
            if tag is None and slug and not Tag.objects.filter(slug=slug).exists():
                tag = Tag.objects.create(name=name, slug=slug)
            elif tag is None:
                tag = Tag.objects.resolve([name])[0]
            tag.description = str(spec.get("description") or "")
            tag.save(update_fields=["description"])

    def import_file(self, source: Source) -> None:
        try:
            with open(source.path, encoding="utf-8", newline="") as file:
                text = file.read()
            meta, body = frontmatter.split(text)
            day, slug = name_parts(source.path.relative_to(self.root))
            entry = read_entry(
                meta,
                body,
                folder=source.folder,
                slug=slug,
                date=day,
                draft_folder=source.draft_folder,
                forced=self.kind,
            )
            if self.split_links and self.split(source, entry):
                return
            with transaction.atomic(), revision(f"Imported from {source.name}"):
                action, item = save_entry(entry)
                self.leave_redirects(entry, item)
        except (OSError, UnicodeDecodeError) as error:
            self.fail(source, f"cannot read: {error}")
        except (FileProblem, frontmatter.FrontMatterError) as error:
            self.fail(source, str(error))
        else:
            self.done(action, item, source.name, entry.rule)

    def done(self, action: str, item: Publishable, name: str, rule: str) -> None:
        self.report.actions[action] += 1
        self.report.rules[rule.split(":")[0].split(" ")[0]] += 1
        self.media_paths |= media.referenced(item.body)
        verb = f"would be {action}" if self.dry_run else action
        self.say(f"{verb}: {item.kind} {item.slug} from {name} (kind by {rule})")

    def fail(self, source: Source, message: str) -> None:
        self.report.failed.append((source.name, message))
        self.say(f"FAILED {source.name}: {message}", self.stderr)

    def split(self, source: Source, entry: Entry) -> bool:
        """A post whose every list item is a link becomes one linked item per link."""
        model = link_kind()
        links = parse_links(entry.fields["body"])
        if model is None or not links.items or links.other_items:
            return False
        rule = f"--split-links from {source.name}"
        for link in links.items:
            url = model.link_key(link.url)
            fields = {
                "title": link.title,
                model.link_field: url,
                "body": link.commentary,
                "status": entry.fields["status"],
                "published_at": entry.fields["published_at"],
            }
            item_entry = Entry(model, rule, fields, [], key={model.link_field: url})
            try:
                with transaction.atomic(), revision(f"Imported from {source.name}"):
                    action, item = save_entry(item_entry)
            except FileProblem as error:
                self.fail(source, f"line {link.line}: {error}")
                continue
            self.done(action, item, f"{source.name}:{link.line}", rule)
            self.report.split += 1
        if links.other_lines:
            lines = ", ".join(map(str, links.other_lines[:10]))
            self.say(f"note: {source.name}: text outside the list was not imported (lines {lines})")
        return True

    def leave_redirects(self, entry: Entry, item: Publishable) -> None:
        """Jekyll's permalink and Hugo's aliases keep leading to the item."""
        if not entry.old_paths or not item.is_published:
            return
        site, new_path = Site.objects.get_current(), item.get_absolute_url()
        for old in entry.old_paths:
            old_path = "/" + old.lstrip("/")
            if old_path != new_path and len(old_path) <= 200:
                Redirect.objects.update_or_create(
                    site=site, old_path=old_path, defaults={"new_path": new_path}
                )
