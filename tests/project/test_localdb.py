"""The embedded cluster: created on demand, reused, stopped and started again; a taken port
and an unreachable folder each get one clear line, never a traceback."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from site_project import localdb

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="an external database is configured"
)


@pytest.fixture
def scratch_dir():
    # Under the project's .data/ rather than /tmp/pytest-of-root (mode 700), so the
    # unprivileged user that runs PostgreSQL for root can reach it.
    data = localdb.BASE_DIR / ".data" / f"scratch-{os.getpid()}"
    yield data
    localdb.LocalDatabase(data).stop()
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def temp_checkout():
    """A fresh temporary folder standing for a new checkout, enterable by the unprivileged
    user that runs PostgreSQL for root (mkdtemp makes it private: mode 700)."""
    folder = Path(tempfile.mkdtemp(prefix="checkout-"))
    folder.chmod(0o755)
    data = folder / ".data"
    yield data
    localdb.LocalDatabase(data).stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def default_port_taken():
    """54329 held, as by another checkout's cluster (held here unless something already is)."""
    with socket.socket() as listener:
        try:
            listener.bind(("127.0.0.1", localdb.DEFAULT_PORT))
            listener.listen()
        except OSError:
            pass  # already taken: by another checkout's cluster, most likely
        assert not localdb.port_is_free(localdb.DEFAULT_PORT)
        yield localdb.DEFAULT_PORT


@pytest.fixture
def held_port():
    """A port something else listens on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def query(database: localdb.LocalDatabase, sql: str):
    params = database.connection_settings()
    with psycopg.connect(
        dbname=params["NAME"], user=params["USER"], host=params["HOST"], port=params["PORT"]
    ) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchone()[0] if cursor.description else None


def run_localdb(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("LOCAL_PG_PORT", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "site_project.localdb", *args],
        cwd=ROOT,
        env={**env, "LOCAL_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_create_reuse_stop_and_restart(scratch_dir):
    database = localdb.LocalDatabase(scratch_dir, port=localdb.free_port())
    assert not database.is_running()
    database.ensure_running()
    assert (scratch_dir / "pg" / "PG_VERSION").exists()
    assert database.is_running()
    query(database, "CREATE TABLE kept AS SELECT 42 AS n")
    version_file = (scratch_dir / "pg" / "PG_VERSION").stat().st_mtime
    database.ensure_running()  # a second run reuses the running cluster
    assert (scratch_dir / "pg" / "PG_VERSION").stat().st_mtime == version_file
    database.stop()
    assert not database.is_running()
    database.ensure_running()  # a stopped cluster starts again, with its data
    assert query(database, "SELECT n FROM kept") == 42
    if os.geteuid() == 0:
        owner = (scratch_dir / "pg").stat().st_uid
        assert owner != 0, "PostgreSQL must not run as root"


def test_a_taken_port_is_replaced_by_a_free_one_and_remembered(scratch_dir, held_port, capsys):
    scratch_dir.mkdir(parents=True)
    (scratch_dir / "pg-port").write_text(f"{held_port}\n")
    database = localdb.LocalDatabase(scratch_dir)
    assert database.port == held_port
    database.ensure_running()
    assert database.port != held_port
    assert f"Port {held_port} is in use" in capsys.readouterr().err
    assert (scratch_dir / "pg-port").read_text().strip() == str(database.port)
    # The next process (settings.py, say) finds the cluster where it now listens.
    assert localdb.LocalDatabase(scratch_dir).connection_settings()["PORT"] == database.port
    assert query(database, "SELECT 1") == 1


def test_a_port_given_by_the_environment_wins(monkeypatch, tmp_path):
    (tmp_path / "pg-port").write_text("55555\n")
    monkeypatch.setenv("LOCAL_PG_PORT", "54400")
    assert localdb.LocalDatabase(tmp_path).port == 54400
    monkeypatch.delenv("LOCAL_PG_PORT")
    assert localdb.LocalDatabase(tmp_path).port == 55555
    assert localdb.LocalDatabase(tmp_path / "new").port == localdb.DEFAULT_PORT


def test_a_new_checkout_picks_a_free_port_when_the_default_is_taken_end_to_end(
    temp_checkout, default_port_taken
):
    """The first run of a second checkout while another one's cluster holds 54329."""
    started = run_localdb(temp_checkout, "start")
    assert started.returncode == 0, started.stderr
    assert "Traceback" not in started.stderr
    port = int((temp_checkout / "pg-port").read_text())
    assert port != default_port_taken
    assert f"Port {default_port_taken} is in use" in started.stderr
    assert f"uses port {port} instead" in started.stderr
    assert run_localdb(temp_checkout, "status").stdout.strip() == "running"
    assert run_localdb(temp_checkout, "url").stdout.strip().endswith(f":{port}/site")
    # The next run finds its cluster running where it was left, and says nothing about ports.
    again = run_localdb(temp_checkout, "start")
    assert again.returncode == 0 and "in use" not in again.stderr
    assert int((temp_checkout / "pg-port").read_text()) == port


def test_the_command_line_moves_off_a_remembered_port_that_is_now_taken(scratch_dir, held_port):
    scratch_dir.mkdir(parents=True)
    (scratch_dir / "pg-port").write_text(f"{held_port}\n")
    started = run_localdb(scratch_dir, "start")
    assert started.returncode == 0, started.stderr
    assert f"Port {held_port} is in use" in started.stderr
    assert "Traceback" not in started.stderr
    assert run_localdb(scratch_dir, "status").stdout.strip() == "running"
    port = int((scratch_dir / "pg-port").read_text())
    assert run_localdb(scratch_dir, "url").stdout.strip().endswith(f":{port}/site")


def test_a_taken_default_port_is_replaced_without_a_remembered_one(
    scratch_dir, default_port_taken, capsys
):
    database = localdb.LocalDatabase(scratch_dir)
    assert database.port == default_port_taken  # nothing remembered yet
    database.ensure_running()
    assert database.port != default_port_taken
    assert f"Port {default_port_taken} is in use" in capsys.readouterr().err
    assert (scratch_dir / "pg-port").read_text().strip() == str(database.port)


def test_a_port_set_in_the_environment_is_never_replaced(scratch_dir, held_port, monkeypatch):
    """LOCAL_PG_PORT wins: when it is taken, the start fails and says so, on its port."""
    monkeypatch.setenv("LOCAL_PG_PORT", str(held_port))
    database = localdb.LocalDatabase(scratch_dir)
    with pytest.raises(localdb.LocalDatabaseError, match=f"did not start on port {held_port}"):
        database.ensure_running()
    assert database.port == held_port


ROOT_ONLY = pytest.mark.skipif(
    os.geteuid() != 0, reason="only root hands the cluster to another user"
)


@pytest.fixture
def private_dir():
    private = Path(tempfile.mkdtemp())  # mode 700, owned by root: like /root or a mktemp -d
    yield private
    shutil.rmtree(private, ignore_errors=True)


@ROOT_ONLY
def test_the_helper_refuses_a_folder_its_user_cannot_reach(private_dir):
    database = localdb.LocalDatabase(private_dir / "checkout" / ".data")
    with pytest.raises(localdb.LocalDatabaseError) as refused:
        database.ensure_running()
    message = str(refused.value)
    assert "cannot reach" in message and str(database.data_dir) in message
    for way_out in ("Clone the project somewhere", "run as a normal user", "DATABASE_URL"):
        assert way_out in message
    assert "\n" not in message
    assert not database.cluster_dir.exists()  # stopped before initdb, nothing half made


@ROOT_ONLY
def test_a_folder_the_cluster_user_cannot_reach_gets_one_clear_line(private_dir):
    result = run_localdb(private_dir / "checkout" / ".data", "start")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot reach" in result.stderr
    assert "DATABASE_URL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@ROOT_ONLY
def test_make_db_in_a_private_clone_stops_with_that_line(private_dir):
    """As a new user would meet it: `make db` (what `make run` starts with) in a checkout
    under a private folder."""
    checkout = private_dir / "checkout"
    checkout.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("LOCAL_PG_PORT", "DATABASE_URL")}
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "db"],
        env={**env, "LOCAL_DATA_DIR": str(checkout / ".data")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "cannot reach" in result.stderr and "DATABASE_URL" in result.stderr


def test_binaries_are_found():
    assert (localdb.find_bin_dir() / "pg_ctl").exists()


def test_the_project_cluster_is_reused_when_running():
    database = localdb.LocalDatabase()
    assert database.is_running()
    assert database.ensure_running() == database.connection_settings()


def test_missing_postgresql_gives_one_clear_line(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(localdb.glob, "glob", lambda pattern: [])
    with pytest.raises(localdb.LocalDatabaseError, match="apt-get install postgresql"):
        localdb.find_bin_dir()


def test_command_line(capsys):
    assert localdb.main(["localdb", "url"]) == 0
    assert capsys.readouterr().out.strip() == localdb.LocalDatabase().database_url()
    assert localdb.main(["localdb", "bogus"]) == 2
