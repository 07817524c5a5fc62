"""Uploaded media that bodies reference (`/media/uploads/…`), copied out and back in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from django.conf import settings

MEDIA_FOLDER = "media"


def referenced(body: str) -> set[str]:
    """Paths under MEDIA_ROOT that `body` links to, by relative or absolute URL."""
    prefix = f"(?:{re.escape(settings.SITE_URL)})?{re.escape(settings.MEDIA_URL)}"
    found = re.findall(prefix + r"([\w./-]+)", body)
    return {path for path in found if ".." not in path.split("/") and not path.startswith("/")}


def copy_out(paths: set[str], target: Path) -> int:
    """Copy the referenced files that exist into `target/media/`; return how many."""
    return _copy(Path(settings.MEDIA_ROOT), target / MEDIA_FOLDER, paths)


def copy_in(paths: set[str], source: Path) -> int:
    """Copy referenced files from `source/media/` into MEDIA_ROOT, never over one there."""
    return _copy(source / MEDIA_FOLDER, Path(settings.MEDIA_ROOT), paths, overwrite=False)


def _copy(source: Path, target: Path, paths: set[str], overwrite: bool = True) -> int:
    copied = 0
    for path in sorted(paths):
        origin, destination = source / path, target / path
        if not origin.is_file() or (destination.exists() and not overwrite):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(origin, destination)
        copied += 1
    return copied
