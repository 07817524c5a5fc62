"""What the code is: part of every cache key, so a deploy never serves pages rendered by the
code it replaced (old markup, or hashed static file names that no longer exist)."""

import hashlib
import os

from django.conf import settings

# What shapes a page: code and templates, then the static manifest (hashed file names).
SUFFIXES = (".py", ".html", ".txt", ".xml")
SKIPPED = {".venv", ".tools", ".data", ".git", "tests", "bench", "node_modules", "staticfiles"}


def fingerprint() -> str:
    root = settings.BASE_DIR
    paths = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED)
        paths += [os.path.join(directory, name) for name in files if name.endswith(SUFFIXES)]
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    digest = hashlib.sha1()
    for path in sorted(paths) + ([str(manifest)] if manifest.exists() else []):
        digest.update(os.path.relpath(path, root).encode())
        with open(path, "rb") as source:
            digest.update(source.read())
    return digest.hexdigest()[:12]


# RELEASE (the commit, say) names a build without reading its files.
RELEASE = os.environ.get("RELEASE") or fingerprint()
