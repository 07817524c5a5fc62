"""An item as a Markdown file and back: which kind a file is, its fields, its front matter.

Shared fields have fixed keys; a kind's own fields (`own_fields()`: a post's summary, a
learning's sources, a bookmark's url and via_url) are written under their field names, so
nothing here asks which kind it holds.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from content.markdown import excerpt_of
from content.models import Publishable, Status, Tag, content_models
from content.slugs import parse_tag_names

SHARED_KEYS = ("title", "slug", "kind", "status", "date", "created", "updated", "tags")
UPDATED_KEYS = ("updated", "lastmod", "last_modified_at")
LAYOUT_KEYS = ("layout", "type")
# Jekyll writes `date: 2024-01-31 10:00:00 +0100`; ISO wants no space and a colon.
SPACED_OFFSET = re.compile(r"\s*([+-]\d{2}):?(\d{2})$")
DATED_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")


class FileProblem(ValueError):
    """What is wrong with one file, in words for the author."""


def _name_key(name: str) -> str:
    return re.sub(r"[\s_-]+", "", str(name)).casefold()


def kind_named(name: str) -> type[Publishable] | None:
    """The kind called `name`: its app label, its verbose names or one of its aliases."""
    wanted = _name_key(name)
    for model in content_models():
        meta = model._meta
        names = (meta.app_label, meta.verbose_name, meta.verbose_name_plural, *model.kind_aliases)
        if wanted in {_name_key(n) for n in names}:
            return model
    return None


def choose_kind(
    meta: dict, folder: str, forced: type[Publishable] | None = None
) -> tuple[type[Publishable], str]:
    """(kind, the rule that chose it): --kind, a `kind:` key, the layout, the folder, else
    the first kind."""
    if forced is not None:
        return forced, "--kind"
    if meta.get("kind"):
        model = kind_named(meta["kind"])
        if model is None:
            raise FileProblem(f"kind: {meta['kind']!r} is not a kind of this site")
        return model, f"kind: {meta['kind']}"
    for key in LAYOUT_KEYS:
        if isinstance(meta.get(key), str) and (model := kind_named(meta[key])):
            return model, f"{key}: {meta[key]}"
    if folder and (model := kind_named(folder)):
        return model, f"folder {folder}/"
    return content_models()[0], "default"


def parse_date(value: object, key: str) -> datetime.datetime | None:
    """A front matter date: an aware datetime (naive ones and plain dates are local time)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time.min)
    else:
        text = SPACED_OFFSET.sub(r"\1:\2", str(value).strip())
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError as error:
            raise FileProblem(f"{key}: {value!r} is not a date") from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def iso(moment: datetime.datetime | None) -> str | None:
    """A date as written to files: local time with its offset, to the microsecond."""
    return timezone.localtime(moment).isoformat() if moment else None


def name_parts(path: PurePath) -> tuple[datetime.date | None, str]:
    """(date, slug) from `2024-01-31-slug.md`, `slug.md` or a bundle's `slug/index.md`."""
    stem = path.parent.name if path.stem in ("index", "_index") and path.parent.name else path.stem
    match = DATED_NAME.match(stem)
    if not match:
        return None, stem
    try:
        day = datetime.date(*(int(part) for part in match.groups()[:3]))
    except ValueError:
        return None, stem
    return day, match.group(4)


def tag_names(meta: dict) -> list[str]:
    """`tags` and `categories`, as lists or as comma- or space-separated text."""
    names: list[str] = []
    for key in ("tags", "categories"):
        value = meta.get(key) or []
        if isinstance(value, str):
            value = value.split(",") if "," in value else value.split()
        names += [str(name) for name in value]
    return parse_tag_names(",".join(names))


@dataclass
class Entry:
    """What one file says an item is."""

    model: type[Publishable]
    rule: str
    fields: dict
    tags: list[str]
    # Old addresses (Jekyll's permalink, Hugo's aliases) that should lead to the item.
    old_paths: list[str] = field(default_factory=list)
    stamps: dict = field(default_factory=dict)
    # How the item is found again on the next run: its slug, or its link.
    key: dict | None = None

    @property
    def lookup(self) -> dict:
        return self.key or {"slug": self.fields["slug"]}


def _status(meta: dict, draft_folder: bool) -> str:
    if meta.get("status") in Status.values:
        return meta["status"]
    if meta.get("status"):
        raise FileProblem(f"status: {meta['status']!r} is neither draft nor published")
    if meta.get("draft") is True or meta.get("published") is False or draft_folder:
        return Status.DRAFT
    return Status.PUBLISHED


def read_entry(
    meta: dict,
    body: str,
    *,
    folder: str = "",
    slug: str = "",
    date: datetime.date | None = None,
    draft_folder: bool = False,
    forced: type[Publishable] | None = None,
) -> Entry:
    """The fields of the item a file describes. `slug`, `date` and `folder` come from the
    file's name and place; the front matter wins over them."""
    model, rule = choose_kind(meta, folder, forced)
    status = _status(meta, draft_folder)
    # An exported draft says `date: null`: the file name's date is then its creation's.
    published_at = parse_date(meta.get("date", date), "date")
    fields: dict = {
        "title": str(meta.get("title") or ""),
        "slug": slugify(str(meta.get("slug") or slug or meta.get("title") or ""))[:200],
        "body": body,
        "status": status,
        "published_at": published_at,
    }
    if not fields["slug"]:
        raise FileProblem("the file names no slug and has no title to make one from")
    if "excerpt" in meta:
        fields["excerpt"] = str(meta["excerpt"] or "")
    summary = meta.get("summary") or meta.get("description")
    if summary and model.summary_field not in meta:
        fields[model.summary_field] = str(summary)
    for name in model.own_fields():
        if name in meta:
            fields[name] = "" if meta[name] is None else meta[name]
    _fill_required_summary(model, fields)
    stamps = {
        "created_at": parse_date(meta.get("created"), "created"),
        "updated_at": parse_date(
            next((meta[k] for k in UPDATED_KEYS if meta.get(k)), None), "updated"
        ),
    }
    old_paths = [meta["permalink"]] if isinstance(meta.get("permalink"), str) else []
    old_paths += [str(alias) for alias in meta.get("aliases") or [] if alias]
    return Entry(
        model, rule, fields, tag_names(meta), old_paths, {k: v for k, v in stamps.items() if v}
    )


def _fill_required_summary(model: type[Publishable], fields: dict) -> None:
    """A kind whose summary is required (a post) gets the body's first paragraph."""
    try:
        summary = model._meta.get_field(model.summary_field)
    except FieldDoesNotExist:
        return
    if not summary.blank and not fields.get(model.summary_field):
        text = excerpt_of(fields["body"]) or fields["title"]
        limit = summary.max_length or len(text)
        fields[model.summary_field] = text if len(text) <= limit else text[: limit - 1] + "…"


def item_meta(item: Publishable) -> dict:
    """Every field the author wrote, in a fixed order: the export's front matter."""
    meta = {
        "title": item.title,
        "slug": item.slug,
        "kind": item.kind,
        "status": item.status,
        "date": iso(item.published_at),
        "created": iso(item.created_at),
        "updated": iso(item.updated_at),
        "tags": [tag.name for tag in item.tags.all()],
    }
    for name in type(item).own_fields():
        meta[name] = getattr(item, name)
    meta["excerpt"] = item.excerpt
    return meta


def file_name(item: Publishable) -> str:
    """`<kind>/<yyyy>-<mm>-<dd>-<slug>.md`, dated on publication (or creation, for a draft
    never published)."""
    day = timezone.localdate(item.published_at or item.created_at)
    return f"{item._meta.app_label}/{day:%Y-%m-%d}-{item.slug}.md"


def messages_of(error: ValidationError) -> str:
    """`field: message; …` from a model's validation error."""
    if not hasattr(error, "error_dict"):
        return "; ".join(error.messages)
    return "; ".join(
        f"{name}: {' '.join(ValidationError(errors).messages)}"
        for name, errors in error.error_dict.items()
    )


def save_entry(entry: Entry, instance: Publishable | None = None) -> tuple[str, Publishable]:
    """Create or update the item (found by `entry.lookup` unless given): ("created" |
    "updated" | "unchanged", item). Raises FileProblem when the fields do not validate."""
    model = entry.model
    item = instance or model.objects.filter(**entry.lookup).first() or model()
    created = item.pk is None
    changed = created or any(_differs(item, k, v) for k, v in entry.fields.items())
    changed |= any(getattr(item, k) != v for k, v in entry.stamps.items())
    names = sorted(tag.name for tag in item.tags.all()) if not created else []
    if not changed and names == sorted(entry.tags):
        return "unchanged", item
    for name, value in entry.fields.items():
        setattr(item, name, value)
    try:
        item.full_clean()
    except ValidationError as error:
        raise FileProblem(messages_of(error)) from error
    item.save()
    item.tags.set(Tag.objects.resolve(entry.tags))
    if entry.stamps:
        # After save(): auto_now would overwrite them.
        model.objects.filter(pk=item.pk).update(**entry.stamps)
        for name, value in entry.stamps.items():
            setattr(item, name, value)
    return ("created" if created else "updated"), item


def _differs(item: models.Model, name: str, value: object) -> bool:
    current = getattr(item, name)
    if name == item._meta.model.link_field and value:
        value = item._meta.model.link_key(str(value))
    return current != value
