"""Backups that restore: one archive holding the database (`pg_dump -Fc`) and the media folder.

    python -m site_project.backup create                 # make backup
    python -m site_project.backup restore FILE [--force] # make restore FILE=… [FORCE=1]

An archive is a tar file named `site-<UTC time>.tar` in BACKUP_DIR (default `backups/`):
`manifest.json` (when, and how many rows each table held), `database.dump` (custom format,
compressed) and `media/` (the uploads). It is written under a temporary name and renamed
when complete, so a crash never leaves a truncated archive among the good ones; only then
are the oldest pruned, keeping the last BACKUP_KEEP.

Restoring goes into an empty database and an empty media folder, and checks the row counts
against the manifest. Into a non-empty one it refuses, unless `--force`: then it first takes
a backup of what is there (so even that loses nothing), empties both, and restores.

The PostgreSQL client programs are the local cluster's (`localdb.find_bin_dir()`), else the
ones on PATH; they must be as new as the server, which DATABASE_URL may name.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from site_project import localdb

ARCHIVE_PREFIX = "site-"
ARCHIVE_SUFFIX = ".tar"
DUMP = "database.dump"
MANIFEST = "manifest.json"
MEDIA = "media"


class BackupError(RuntimeError):
    pass


def tool(name: str) -> str:
    try:
        candidate = localdb.find_bin_dir() / name
        if candidate.exists():
            return str(candidate)
    except localdb.LocalDatabaseError:
        pass
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return found


def libpq_env(db: dict) -> dict[str, str]:
    """Django's database settings as libpq's environment (no password on a command line)."""
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    for key, name in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")]:  # fmt: skip
        if db.get(key):
            env[name] = str(db[key])
    return env


def connect(db: dict):
    import psycopg

    return psycopg.connect(
        dbname=db["NAME"], user=db.get("USER") or None, password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None, port=db.get("PORT") or None, autocommit=True,
        connect_timeout=10,
    )  # fmt: skip


def table_counts(db: dict) -> dict[str, int]:
    """Rows per table of the public schema: what a restore must give back."""
    with connect(db) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def _archive_path(backup_dir: Path, label: str) -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    name, n = f"{ARCHIVE_PREFIX}{stamp}{label}", 2
    while (backup_dir / f"{name}{ARCHIVE_SUFFIX}").exists():
        name, n = f"{ARCHIVE_PREFIX}{stamp}{label}-{n}", n + 1
    return backup_dir / f"{name}{ARCHIVE_SUFFIX}"


def archives(backup_dir: Path) -> list[Path]:
    """Oldest first: the names sort by time (`…-221631` before its twin `…-221631-2`)."""
    found = backup_dir.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}")
    return sorted(found, key=lambda path: path.name.removesuffix(ARCHIVE_SUFFIX))


def create(backup_dir: Path, keep: int, db: dict, media_root: Path, label: str = "") -> Path:
    """Writes one archive; then keeps the last `keep` archives (0: removes none)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    target = _archive_path(backup_dir, label)
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DUMP
        say(f"Dumping the database {db['NAME']} …")
        run([tool("pg_dump"), "--format=custom", "--file", str(dump)], db)
        files = media_files(media_root)
        manifest = {
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": db["NAME"],
            "tables": table_counts(db),
            "media_files": len(files),
        }
        (Path(tmp) / MANIFEST).write_text(json.dumps(manifest, indent=2))
        size = dump.stat().st_size / 1e6
        say(f"Archiving the dump ({size:.1f} MB) and {len(files)} media file(s) …")
        with tarfile.open(partial, "w") as tar:
            tar.add(Path(tmp) / MANIFEST, MANIFEST)
            tar.add(dump, DUMP)
            for path in files:
                tar.add(path, f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
    partial.rename(target)
    say(f"Wrote {target} ({target.stat().st_size / 1e6:.1f} MB).")
    prune(backup_dir, keep)
    return target


def prune(backup_dir: Path, keep: int) -> None:
    old = archives(backup_dir)[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    if old:
        say(f"Removed {len(old)} older archive(s); keeping the last {keep}.")


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive) as tar:
            names = set(tar.getnames())
            if not {MANIFEST, DUMP} <= names:
                raise BackupError(f"{archive} is not a site backup (no {MANIFEST} or {DUMP}).")
            return json.load(tar.extractfile(MANIFEST))
    except (tarfile.TarError, OSError, ValueError) as error:
        raise BackupError(f"{archive} cannot be read: {error}") from error


def restore(
    archive: Path, db: dict, media_root: Path, force: bool = False, backup_dir: Path | None = None
) -> dict[str, int]:
    """Restores `archive`; returns the restored row counts (equal to the manifest's)."""
    manifest = read_manifest(archive)
    tables = table_counts(db)
    present = media_files(media_root)
    if (tables or present) and not force:
        raise BackupError(
            f"Refusing to overwrite: the database {db['NAME']} has {len(tables)} table(s) and "
            f"{media_root} has {len(present)} file(s). Restore into an empty database and media "
            "folder, or pass --force (a backup of what is there is taken first)."
        )
    if tables or present:
        say("--force: backing up what is there first …")
        create(backup_dir or archive.parent, keep=0, db=db, media_root=media_root,
               label="-before-restore")  # fmt: skip
        with connect(db) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        shutil.rmtree(media_root, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive) as tar:
        tar.extract(DUMP, tmp, filter="data")
        say(f"Restoring the database into {db['NAME']} …")
        run(
            [tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", "--dbname", db["NAME"], str(Path(tmp) / DUMP)],
            db,
        )  # fmt: skip
        members = [m for m in tar.getmembers() if m.name.startswith(f"{MEDIA}/") and m.isfile()]
        media_root.mkdir(parents=True, exist_ok=True)
        for member in members:
            member.name = member.name.removeprefix(f"{MEDIA}/")
            tar.extract(member, media_root, filter="data")  # no path leaves media_root
    restored = table_counts(db)
    if restored != manifest["tables"]:
        raise BackupError(f"Row counts differ from the backup's: {restored} != {manifest}")
    say(
        f"Restored {sum(restored.values())} rows in {len(restored)} tables and "
        f"{len(members)} media file(s) from {archive.name} ({manifest['created']})."
    )
    return restored


def run(args: list[str], db: dict) -> None:
    result = subprocess.run(args, env=libpq_env(db), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()}")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_project.backup")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("create", help="write an archive to BACKUP_DIR, keep the last BACKUP_KEEP")
    restoring = commands.add_parser("restore", help="restore an archive")
    restoring.add_argument("file", type=Path)
    restoring.add_argument("--force", action="store_true", help="replace what is there")
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings")
    import django
    from django.conf import settings

    django.setup()
    db, media_root = settings.DATABASES["default"], Path(settings.MEDIA_ROOT)
    backup_dir = Path(os.environ.get("BACKUP_DIR") or localdb.BASE_DIR / "backups")
    try:
        if options.command == "create":
            create(backup_dir, int(os.environ.get("BACKUP_KEEP", "14")), db, media_root)
        else:
            restore(options.file, db, media_root, force=options.force, backup_dir=backup_dir)
    except BackupError as error:
        say(str(error))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
