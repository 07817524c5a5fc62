"""The embedded development database: a PostgreSQL cluster under `.data/pg`.

Used when `DATABASE_URL` is not set. `settings.py` only reads `connection_settings()`
(no side effects at import); `make run`, `make test` and the test suite call `ensure_running()`.

    python -m site_project.localdb start|stop|status|url
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LOCAL_DATA_DIR", BASE_DIR / ".data"))
CLUSTER_DIR = DATA_DIR / "pg"
SOCKET_DIR = DATA_DIR / "run"
LOG_FILE = DATA_DIR / "postgres.log"
# 5432 is the system cluster's port; a high fixed port avoids clashing with it.
PORT = int(os.environ.get("LOCAL_PG_PORT", "54329"))
DB_NAME = "site"
DB_USER = "site"
# initdb and pg_ctl refuse to run as root; this user runs them instead.
SERVICE_USERS = ("postgres", "sitepg")
INSTALL_HINT = (
    "PostgreSQL is not installed: run `apt-get install postgresql` (Debian/Ubuntu) "
    "or `brew install postgresql` (macOS), or set DATABASE_URL to an existing database."
)


class LocalDatabaseError(RuntimeError):
    pass


def find_bin_dir() -> Path:
    """PostgreSQL's server binaries: on PATH, through pg_config, or the Debian layout."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        bindir = Path(out.stdout.strip())
        if (bindir / "pg_ctl").exists() and (bindir / "initdb").exists():
            return bindir
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2] or 0)
    )
    for bindir in reversed(candidates):
        if (Path(bindir) / "pg_ctl").exists() and (Path(bindir) / "initdb").exists():
            return Path(bindir)
    raise LocalDatabaseError(INSTALL_HINT)


def connection_settings() -> dict[str, str | int]:
    # Unix socket paths are limited to ~107 bytes; fall back to TCP in deep checkouts.
    socket = SOCKET_DIR / f".s.PGSQL.{PORT}"
    host = str(SOCKET_DIR) if len(str(socket)) < 100 else "127.0.0.1"
    return {"NAME": DB_NAME, "USER": DB_USER, "HOST": host, "PORT": PORT}


def database_url() -> str:
    return f"postgres://{DB_USER}@127.0.0.1:{PORT}/{DB_NAME}"


def _service_user() -> str | None:
    """None when we may run PostgreSQL ourselves; else the unprivileged user to run it as."""
    if os.geteuid() != 0:
        return None
    for name in SERVICE_USERS:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "sitepg"],
        check=True,
    )
    return "sitepg"


def _run(args: list[str], user: str | None, check: bool = True) -> subprocess.CompletedProcess:
    if user:
        args = ["runuser", "-u", user, "--", *args]
    return subprocess.run(args, capture_output=True, text=True, check=check)


def is_running(bindir: Path | None = None) -> bool:
    if not (CLUSTER_DIR / "PG_VERSION").exists():
        return False
    bindir = bindir or find_bin_dir()
    result = _run(
        [str(bindir / "pg_ctl"), "status", "-D", str(CLUSTER_DIR)], _service_user(), False
    )
    return result.returncode == 0


def _init_cluster(bindir: Path, user: str | None) -> None:
    print(f"Creating the local PostgreSQL cluster in {CLUSTER_DIR} ...", file=sys.stderr)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for path in (CLUSTER_DIR, SOCKET_DIR):
        path.mkdir(parents=True, exist_ok=True)
        if user:
            shutil.chown(path, user, user)
    CLUSTER_DIR.chmod(0o700)
    _run(
        [
            str(bindir / "initdb"),
            "-D",
            str(CLUSTER_DIR),
            "--username",
            DB_USER,
            # Trust is safe here: the cluster listens only on its socket and on 127.0.0.1.
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
        ],
        user,
    )


def ensure_running() -> dict[str, str | int]:
    """Create the cluster on first use, start it if stopped, create the database."""
    bindir = find_bin_dir()
    user = _service_user()
    if not (CLUSTER_DIR / "PG_VERSION").exists():
        _init_cluster(bindir, user)
    if not is_running(bindir):
        LOG_FILE.touch()
        if user:
            shutil.chown(LOG_FILE, user, user)
            shutil.chown(SOCKET_DIR, user, user)
        options = (
            f"-p {PORT} -k {SOCKET_DIR} -c listen_addresses=127.0.0.1 "
            "-c shared_buffers=256MB -c synchronous_commit=off -c max_connections=100"
        )
        result = _run(
            [
                str(bindir / "pg_ctl"),
                "start",
                "-w",
                "-D",
                str(CLUSTER_DIR),
                "-l",
                str(LOG_FILE),
                "-o",
                options,
            ],
            user,
            check=False,
        )
        if result.returncode != 0:
            raise LocalDatabaseError(
                f"PostgreSQL did not start; see {LOG_FILE}.\n{result.stdout}{result.stderr}"
            )
    _create_database()
    return connection_settings()


def _create_database() -> None:
    import psycopg

    params = connection_settings()
    with psycopg.connect(
        dbname="postgres", user=DB_USER, host=params["HOST"], port=PORT, autocommit=True
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def stop() -> None:
    if is_running():
        bindir = find_bin_dir()
        _run(
            [str(bindir / "pg_ctl"), "stop", "-m", "fast", "-D", str(CLUSTER_DIR)], _service_user()
        )
        print("Local PostgreSQL stopped.", file=sys.stderr)
    else:
        print("Local PostgreSQL is not running.", file=sys.stderr)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    try:
        if command == "start":
            if os.environ.get("DATABASE_URL"):
                return 0  # an external database is configured: nothing local to start
            ensure_running()
        elif command == "stop":
            stop()
        elif command == "status":
            print("running" if is_running() else "stopped")
        elif command == "url":
            print(database_url())
        else:
            print(f"usage: {argv[0]} start|stop|status|url", file=sys.stderr)
            return 2
    except LocalDatabaseError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
