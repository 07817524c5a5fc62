"""Images uploaded from the editor.

Checked from the file's header before a pixel is decoded (format, size in pixels counting
every frame), then decoded and re-encoded by Pillow into the format the stored name says,
with EXIF, XMP and comments left behind, and stored under a random name.
`unreferenced_uploads()` finds the ones no item uses any more (`manage.py prune_uploads`).
"""

import io
import logging
import re
import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError
from reversion.models import Version

from content.models import content_models

logger = logging.getLogger(__name__)

UPLOAD_DIR = "uploads/"  # under MEDIA_ROOT
MAX_WIDTH = 2000  # wider images are narrowed to this when re-encoded
RATE_WINDOW = 3600  # seconds in which a user may upload UPLOAD_RATE images

# Pillow's name for a format -> the extension its files are stored under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
# Phones' multi-picture JPEGs: the first picture is kept, as a plain JPEG.
WRITTEN_AS = {"MPO": "JPEG"}
# The modes each format is written in; anything else is converted first.
MODES = {
    "JPEG": {"RGB", "L"},
    "PNG": {"1", "L", "LA", "RGB", "RGBA", "I;16"},
    "GIF": {"RGB", "RGBA", "L"},
    "WEBP": {"RGB", "RGBA"},
}
ANIMATED = {"PNG", "GIF", "WEBP"}


class UploadRefused(Exception):
    """Why an image was not stored, in words for the author (the editor shows them)."""


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


def check_rate(user) -> None:
    """At most UPLOAD_RATE uploads per user in each RATE_WINDOW (through Django's cache:
    with the default per-process cache, each worker counts on its own)."""
    window = RATE_WINDOW
    now = time.time()
    key = f"uploads:{user.pk}:{int(now // window)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, count := 1, timeout=window)
    if count > settings.UPLOAD_RATE:
        minutes = max(1, round((window - now % window) / 60))
        raise UploadRefused(
            f"You have uploaded {settings.UPLOAD_RATE} images in the last "
            f"{window // 60} minutes, the most allowed; try again in {minutes} minutes."
        )


def _open(data: bytes) -> Image.Image:
    """Read the header only, and refuse what is not an accepted image or is too large."""
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, past its own bomb limits; both mean "too large".
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.format = WRITTEN_AS.get(image.format, image.format)
            frames = getattr(image, "n_frames", 1) if image.format in ANIMATED else 1
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadRefused(
            f"The image has too many pixels: at most {_megapixels(settings.UPLOAD_MAX_PIXELS)} "
            "megapixels are accepted."
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise UploadRefused("The file is not a readable image.") from error
    if image.format not in FORMATS:
        allowed = ", ".join(FORMATS)
        raise UploadRefused(f"{image.format} images are not accepted; use one of {allowed}.")
    width, height = image.size
    pixels = width * height * frames
    if pixels > settings.UPLOAD_MAX_PIXELS:
        shape = f"{width}×{height}" + (f" × {frames} frames" if frames > 1 else "")
        raise UploadRefused(
            f"The image is {shape}, {_megapixels(pixels)} megapixels: at most "
            f"{_megapixels(settings.UPLOAD_MAX_PIXELS)} are accepted. Make it smaller first."
        )
    return image


def _clean_frame(frame: Image.Image, fmt: str) -> Image.Image:
    """A copy with pixels only (no info: EXIF, XMP, comments), in a mode `fmt` can write,
    no wider than MAX_WIDTH."""
    if frame.mode not in MODES[fmt]:
        has_alpha = "A" in frame.getbands() or "transparency" in frame.info
        frame = frame.convert("RGBA" if has_alpha and fmt != "JPEG" else "RGB")
    else:
        frame = frame.copy()
    frame.info = {}
    width, height = frame.size
    if width > MAX_WIDTH:
        frame = frame.resize((MAX_WIDTH, max(1, round(height * MAX_WIDTH / width))), Image.LANCZOS)
    return frame


def reencode(data: bytes) -> tuple[bytes, str]:
    """The image re-encoded into its own format, without metadata; and its extension."""
    image = _open(data)
    fmt = image.format
    options: dict = {"format": fmt}
    if icc := image.info.get("icc_profile"):
        options["icc_profile"] = icc  # colour, not metadata: dropping it shifts the colours
    try:
        if fmt == "JPEG":
            # The EXIF orientation is applied to the pixels, since the EXIF itself goes.
            frames = [_clean_frame(ImageOps.exif_transpose(image), fmt)]
            options |= {"quality": 88, "optimize": True, "progressive": True}
        else:
            frames, durations = [], []
            for frame in ImageSequence.Iterator(image) if fmt in ANIMATED else [image]:
                durations.append(frame.info.get("duration", 100))
                frames.append(_clean_frame(frame, fmt))
            if len(frames) > 1:
                options |= {"save_all": True, "append_images": frames[1:], "duration": durations}
                if "loop" in image.info:
                    options["loop"] = image.info["loop"]
            options |= {"WEBP": {"quality": 90}, "PNG": {"optimize": True}}.get(fmt, {})
        output = io.BytesIO()
        frames[0].save(output, **options)
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise UploadRefused("The image is damaged and could not be read.") from error
    finally:
        image.close()
    return output.getvalue(), FORMATS[fmt]


def store(user, upload) -> str:
    """Check, re-encode and save an uploaded file; returns the stored image's URL."""
    if upload is None:
        raise UploadRefused("Choose an image file to upload: the request carried none.")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise UploadRefused(
            f"The file is {_megabytes(upload.size)} MB: at most "
            f"{_megabytes(settings.UPLOAD_MAX_BYTES)} MB are accepted."
        )
    check_rate(user)
    data, extension = reencode(upload.read())
    name = f"{UPLOAD_DIR}{uuid.uuid4()}.{extension}"
    try:
        name = default_storage.save(name, ContentFile(data))
    except OSError as error:
        logger.error("Could not store an upload in %s: %s", settings.MEDIA_ROOT, error)
        raise UploadRefused(
            "The server could not save the image (its media folder is not writable). "
            "Nothing was stored; tell whoever runs the site."
        ) from error
    return default_storage.url(name)


@dataclass(frozen=True)
class StoredUpload:
    name: str  # relative to MEDIA_ROOT
    size: int
    modified: datetime


def stored_uploads() -> list[StoredUpload]:
    if not default_storage.exists(UPLOAD_DIR):
        return []
    _, files = default_storage.listdir(UPLOAD_DIR)
    found = []
    for filename in sorted(files):
        name = f"{UPLOAD_DIR}{filename}"
        found.append(
            StoredUpload(name, default_storage.size(name), default_storage.get_modified_time(name))
        )
    return found


def referenced_names(progress=None) -> set[str]:
    """Every upload (as `uploads/<file>`) that any item's text mentions, drafts included, or
    any kept version of an item (content/history/): restoring an old version, or recovering
    a deleted item, must find its images where they were."""
    pattern = re.compile(re.escape(UPLOAD_DIR) + r"([\w.-]+)")
    sources = [
        (model._meta.verbose_name_plural, model._default_manager.all(), _text_fields(model))
        for model in content_models()
    ]
    sources.append(("kept versions", Version.objects.all(), ["serialized_data"]))
    found = set()
    for label, rows, fields in sources:
        if progress:
            progress(f"Reading {label} that mention uploads …")
        mentions = Q()
        for field in fields:
            mentions |= Q(**{f"{field}__contains": UPLOAD_DIR})
        for row in rows.filter(mentions).values_list(*fields).iterator(chunk_size=500):
            for text in row:
                found.update(UPLOAD_DIR + name for name in pattern.findall(text or ""))
    return found


def _text_fields(model: type[models.Model]) -> list[str]:
    fields = model._meta.get_fields()
    return [f.name for f in fields if isinstance(f, models.CharField | models.TextField)]


def unreferenced_uploads(older_than: timedelta, progress=None) -> Iterator[StoredUpload]:
    """Uploads no item mentions, older than `older_than` (an image pasted into an unsaved
    form is not referenced yet, and must survive until the form is saved)."""
    referenced = referenced_names(progress)
    cutoff = timezone.now() - older_than
    for upload in stored_uploads():
        if upload.name not in referenced and upload.modified < cutoff:
            yield upload
