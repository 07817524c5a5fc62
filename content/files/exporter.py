"""Exporting every item, drafts included, as `<kind>/<yyyy>-<mm>-<dd>-<slug>.md` with YAML
front matter holding every field and the body verbatim, the uploaded media the bodies
reference under `media/`, and the tags' slugs and descriptions in `tags.yml`.

Importing the folder into an empty database and exporting again gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yaml

from content.files import frontmatter, media
from content.files.importer import TAGS_FILE
from content.files.mapping import file_name, item_meta
from content.models import Tag, content_models
from content.progress import Progress

CHUNK = 500


@dataclass
class Exported:
    items: int = 0
    media: int = 0


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # newline="": the body's own line endings, byte for byte.
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.write(text)


def export(root: Path, stderr: TextIO, progress: bool = True) -> Exported:
    result = Exported()
    referenced: set[str] = set()
    total = sum(model.objects.count() for model in content_models())
    bar = Progress("items", total, stderr)
    for model in content_models():
        items = model.objects.order_by("pk").prefetch_related("tags")
        for item in items.iterator(chunk_size=CHUNK):
            write(root / file_name(item), frontmatter.dump(item_meta(item), item.body))
            referenced |= media.referenced(item.body)
            result.items += 1
            if progress and result.items % 50 == 0:
                bar.update(result.items)
    if progress and total:
        bar.finish()
    tags = [
        {"name": tag.name, "slug": tag.slug, "description": tag.description}
        for tag in Tag.objects.order_by("name", "pk")
    ]
    write(root / TAGS_FILE, yaml.safe_dump(tags, sort_keys=False, allow_unicode=True))
    result.media = media.copy_out(referenced, root)
    return result
