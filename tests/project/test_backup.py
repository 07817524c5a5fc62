"""Backups that restore: a round trip through the local cluster's pg_dump and pg_restore into
an empty database gives back the same rows, the same bodies and the same uploads."""

import hashlib
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.db import connection

from site_project import backup
from tests.factories import make_bookmark, make_learning, make_note, make_post
from tests.project.test_foundation import ROOT

pytestmark = pytest.mark.django_db(transaction=True)
PNG = bytes.fromhex("89504e470d0a1a0a") + b"not really, but bytes are bytes" * 100


def admin_db() -> dict:
    return dict(connection.settings_dict)


@pytest.fixture
def empty_database():
    """A new, empty database on the same server, dropped afterwards."""
    source = admin_db()
    name = f"restore_{uuid.uuid4().hex[:8]}"
    with backup.connect({**source, "NAME": "postgres"}) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {**source, "NAME": name}
    with backup.connect({**source, "NAME": "postgres"}) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def body_checksum(db: dict) -> str:
    with backup.connect(db) as conn:
        rows = conn.execute(
            "SELECT string_agg(body, '|' ORDER BY id) FROM posts_post UNION ALL "
            "SELECT string_agg(body, '|' ORDER BY id) FROM bookmarks_bookmark"
        ).fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def site_with_content(settings):
    make_post(title="Kept", body="A body with *Markdown* and $x^2$.", tags=["python"])
    make_post(body="Ünïcode — and a second post.")
    make_note()
    make_learning()
    make_bookmark(url="https://example.com/a")
    upload = Path(settings.MEDIA_ROOT) / "uploads" / "image.png"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(PNG)
    return upload


def test_round_trip_into_an_empty_database(site_with_content, empty_database, tmp_path, settings):
    source = admin_db()
    archive = backup.create(tmp_path / "backups", 5, source, Path(settings.MEDIA_ROOT))
    assert archive.name.startswith("site-") and archive.suffix == ".tar"
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "database.dump", "media/uploads/image.png"} <= set(tar.getnames())

    restored_media = tmp_path / "restored-media"
    counts = backup.restore(archive, empty_database, restored_media)

    assert counts == backup.table_counts(source)
    assert counts["posts_post"] == 2 and counts["reversion_version"] > 0
    assert body_checksum(empty_database) == body_checksum(source)
    assert (restored_media / "uploads" / "image.png").read_bytes() == PNG


def test_a_non_empty_database_is_refused_without_force(
    site_with_content, empty_database, tmp_path, settings
):
    archive = backup.create(tmp_path / "backups", 5, admin_db(), Path(settings.MEDIA_ROOT))
    media = tmp_path / "media-target"
    backup.restore(archive, empty_database, media)
    with pytest.raises(backup.BackupError, match="Refusing to overwrite"):
        backup.restore(archive, empty_database, media)
    # A non-empty media folder alone is refused too.
    with backup.connect(empty_database) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    with pytest.raises(backup.BackupError, match="1 file"):
        backup.restore(archive, empty_database, media)


def test_force_backs_up_what_is_there_then_replaces_it(
    site_with_content, empty_database, tmp_path, settings
):
    backups = tmp_path / "backups"
    archive = backup.create(backups, 5, admin_db(), Path(settings.MEDIA_ROOT))
    media = tmp_path / "media-target"
    backup.restore(archive, empty_database, media)
    with backup.connect(empty_database) as conn:
        conn.execute("UPDATE posts_post SET body = 'changed after the backup'")
    counts = backup.restore(archive, empty_database, media, force=True, backup_dir=backups)
    assert counts["posts_post"] == 2
    assert body_checksum(empty_database) == body_checksum(admin_db())
    [safety] = [p for p in backup.archives(backups) if "before-restore" in p.name]
    assert backup.read_manifest(safety)["database"] == empty_database["NAME"]


def test_only_the_last_n_archives_are_kept(db, tmp_path, settings):
    backups = tmp_path / "backups"
    made = [backup.create(backups, 2, admin_db(), Path(settings.MEDIA_ROOT)) for _ in range(3)]
    assert backup.archives(backups) == made[1:]
    assert not list(backups.glob("*.partial"))


def test_a_file_that_is_not_a_backup_is_refused_clearly(tmp_path):
    bogus = tmp_path / "bogus.tar"
    bogus.write_bytes(b"not a tar")
    with pytest.raises(backup.BackupError, match="cannot be read"):
        backup.read_manifest(bogus)


def test_make_backup_and_restore_commands(tmp_path, site_with_content):
    """The command lines that `make backup` / `make restore` run."""
    env = {**os.environ, "BACKUP_DIR": str(tmp_path / "b"), "MEDIA_ROOT": str(tmp_path / "m")}
    env.pop("DATABASE_URL", None)
    db = admin_db()
    env["DATABASE_URL"] = f"postgres://{db['USER']}@127.0.0.1:{db['PORT']}/{db['NAME']}"
    made = subprocess.run(
        [sys.executable, "-m", "site_project.backup", "create"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "Wrote" in made.stderr
    [archive] = backup.archives(tmp_path / "b")
    refused = subprocess.run(
        [sys.executable, "-m", "site_project.backup", "restore", str(archive)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert refused.returncode == 1
    assert "Refusing to overwrite" in refused.stderr
