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
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LOCAL_DATA_DIR", BASE_DIR / ".data"))
# 5432 is the system cluster's port; a high port avoids clashing with it.
DEFAULT_PORT = 54329
DB_NAME = "site"
DB_USER = "site"
# initdb and pg_ctl refuse to run as root; this user runs them instead.
SERVICE_USERS = ("postgres", "sitepg")
INSTALL_HINT = (
    "PostgreSQL is not installed: run `apt-get install postgresql` (Debian/Ubuntu) "
    "or `brew install postgresql` (macOS), or set DATABASE_URL to an existing database."
)
# Unix socket paths are limited to ~107 bytes; deeper checkouts connect over TCP.
MAX_SOCKET_PATH = 100


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


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def connection_url(db: dict) -> str:
    """A database URL for a server started in another process, from a connection's settings
    (`connection.settings_dict`). A socket folder stays a socket, percent-encoded as
    dj-database-url reads it: a query over it costs 84 µs against 147 over 127.0.0.1."""
    host = quote(db["HOST"], safe="")
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def service_user() -> str | None:
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


@dataclass
class LocalDatabase:
    """One cluster: its folder, and the port it listens on (besides its socket).

    The port is `port` if given, else `LOCAL_PG_PORT`, else the one this cluster was first
    started on (remembered in `port_file`), else 54329, or any free port when that is taken.
    """

    data_dir: Path = DATA_DIR
    port: int | None = None

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        self.fixed_port = self.port is not None or bool(os.environ.get("LOCAL_PG_PORT"))
        if self.port is None:
            self.port = int(os.environ.get("LOCAL_PG_PORT") or self._remembered_port())

    @property
    def cluster_dir(self) -> Path:
        return self.data_dir / "pg"

    @property
    def socket_dir(self) -> Path:
        return self.data_dir / "run"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "postgres.log"

    @property
    def port_file(self) -> Path:
        return self.data_dir / "pg-port"

    def _remembered_port(self) -> int:
        try:
            return int(self.port_file.read_text().strip())
        except (OSError, ValueError):
            return DEFAULT_PORT

    def connection_settings(self) -> dict[str, str | int]:
        socket_path = self.socket_dir / f".s.PGSQL.{self.port}"
        host = str(self.socket_dir) if len(str(socket_path)) < MAX_SOCKET_PATH else "127.0.0.1"
        return {"NAME": DB_NAME, "USER": DB_USER, "HOST": host, "PORT": self.port}

    def database_url(self) -> str:
        return connection_url(self.connection_settings())

    def is_running(self, bindir: Path | None = None) -> bool:
        if not (self.cluster_dir / "PG_VERSION").exists():
            return False
        bindir = bindir or find_bin_dir()
        status = [str(bindir / "pg_ctl"), "status", "-D", str(self.cluster_dir)]
        return _run(status, service_user(), check=False).returncode == 0

    def ensure_running(self) -> dict[str, str | int]:
        """Create the cluster on first use, start it if stopped, create the database."""
        bindir = find_bin_dir()
        user = service_user()
        if not (self.cluster_dir / "PG_VERSION").exists():
            self._init_cluster(bindir, user)
        if not self.is_running(bindir):
            self._choose_port()
            self._start(bindir, user)
        self._create_database()
        return self.connection_settings()

    def stop(self) -> None:
        if self.is_running():
            stop = [
                str(find_bin_dir() / "pg_ctl"),
                "stop",
                "-m",
                "fast",
                "-D",
                str(self.cluster_dir),
            ]
            _run(stop, service_user())
            print("Local PostgreSQL stopped.", file=sys.stderr)
        else:
            print("Local PostgreSQL is not running.", file=sys.stderr)

    def _check_reachable(self, user: str) -> None:
        """The service user must be able to enter the data folder: a checkout in a private
        folder (mode 700, like /root) is not, and initdb would fail with a traceback."""
        if _run(["test", "-x", str(self.data_dir)], user, check=False).returncode != 0:
            raise LocalDatabaseError(
                f"PostgreSQL runs as the user '{user}' (it refuses root), and '{user}' cannot "
                f"reach {self.data_dir}: a folder above it is private. Clone the project "
                "somewhere other users can enter (under /srv or /opt, say), run as a normal "
                "user, or set DATABASE_URL to an existing database."
            )

    def _init_cluster(self, bindir: Path, user: str | None) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if user:
            self._check_reachable(user)
        print(f"Creating the local PostgreSQL cluster in {self.cluster_dir} ...", file=sys.stderr)
        for path in (self.cluster_dir, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
            if user:
                shutil.chown(path, user, user)
        self.cluster_dir.chmod(0o700)
        initdb = [str(bindir / "initdb"), "-D", str(self.cluster_dir), "--username", DB_USER]
        # Trust is safe here: the cluster listens only on its socket and on 127.0.0.1.
        initdb += ["--auth", "trust", "--encoding", "UTF8", "--locale", "C.UTF-8"]
        _run(initdb, user)

    def _choose_port(self) -> None:
        """Keep the port unless something else holds it; then take a free one and say so."""
        if not self.fixed_port and not port_is_free(self.port):
            taken, self.port = self.port, free_port()
            print(
                f"Port {taken} is in use (another checkout's database?): the local PostgreSQL "
                f"uses port {self.port} instead, remembered in {self.port_file}.",
                file=sys.stderr,
            )
        self.port_file.write_text(f"{self.port}\n")

    def _start(self, bindir: Path, user: str | None) -> None:
        self.log_file.touch()
        if user:
            shutil.chown(self.log_file, user, user)
            shutil.chown(self.socket_dir, user, user)
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c shared_buffers=256MB -c synchronous_commit=off -c max_connections=100"
        )
        start = [str(bindir / "pg_ctl"), "start", "-w", "-D", str(self.cluster_dir)]
        result = _run([*start, "-l", str(self.log_file), "-o", options], user, check=False)
        if result.returncode != 0:
            log_tail = self.log_file.read_text(errors="replace").splitlines()[-5:]
            raise LocalDatabaseError(
                f"PostgreSQL did not start on port {self.port}; the end of {self.log_file}:\n"
                + "\n".join(log_tail)
            )

    def _create_database(self) -> None:
        import psycopg  # only the commands that start a cluster need the driver

        params = self.connection_settings()
        with psycopg.connect(
            dbname="postgres", user=DB_USER, host=params["HOST"], port=self.port, autocommit=True
        ) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
            if not exists.fetchone():
                conn.execute(f"CREATE DATABASE {DB_NAME}")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    database = LocalDatabase()
    try:
        if command == "start":
            if os.environ.get("DATABASE_URL"):
                return 0  # an external database is configured: nothing local to start
            database.ensure_running()
        elif command == "stop":
            database.stop()
        elif command == "status":
            print("running" if database.is_running() else "stopped")
        elif command == "url":
            print(database.database_url())
        else:
            print(f"usage: {argv[0]} start|stop|status|url", file=sys.stderr)
            return 2
    except LocalDatabaseError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
