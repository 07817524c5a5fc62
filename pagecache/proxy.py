"""The proxy's cache follows the content: nginx keys its page cache on a generation that
Django writes to PROXY_GENERATION_FILE and `deploy/pagecache.js` reads on every request.

A writer takes a lock and writes what the database says *then*, never what it saw earlier,
so a slow request can never put an older generation back.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from content.models import ContentVersion
from pagecache.release import RELEASE

# The version key this process last wrote or saw written: following costs nothing until the
# content changes.
_seen: str | None = None


def generation(version: ContentVersion) -> str:
    return f"{RELEASE}-{version.key}"


def follow(version: ContentVersion) -> None:
    """Make the proxy's generation that of the content now, once per version per process."""
    global _seen
    path = settings.PROXY_GENERATION_FILE
    if not path or version.key == _seen:
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        now = ContentVersion.objects.filter(pk=version.pk).first()
        if now is None:
            # The row went between reading it and here: a test database flushed under a
            # booting worker. The next request makes it again and writes; raising would
            # stop the worker booting, and gunicorn then stops every worker.
            return
        temporary = target.with_name(f"{target.name}.{os.getpid()}")
        temporary.write_text(generation(now))
        temporary.chmod(0o644)  # nginx's workers read it
        temporary.replace(target)
    _seen = now.key


def content_changed(sender, **kwargs) -> None:
    """Once the change commits, the proxy stops serving what it had kept."""
    if settings.PROXY_GENERATION_FILE:
        transaction.on_commit(lambda: follow(ContentVersion.objects.get()))
