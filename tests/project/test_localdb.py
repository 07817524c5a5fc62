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


def test_the_command_line_picks_a_free_port_end_to_end(scratch_dir, held_port):
    scratch_dir.mkdir(parents=True)
    (scratch_dir / "pg-port").write_text(f"{held_port}\n")
    started = run_localdb(scratch_dir, "start")
    assert started.returncode == 0, started.stderr
    assert f"Port {held_port} is in use" in started.stderr
    assert "Traceback" not in started.stderr
    assert run_localdb(scratch_dir, "status").stdout.strip() == "running"
    port = int((scratch_dir / "pg-port").read_text())
    assert run_localdb(scratch_dir, "url").stdout.strip().endswith(f":{port}/site")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root hands the cluster to another user")
def test_a_folder_the_cluster_user_cannot_reach_gets_one_clear_line():
    private = Path(tempfile.mkdtemp())  # mode 700, owned by root
    try:
        result = run_localdb(private / "checkout" / ".data", "start")
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "cannot reach" in result.stderr
        assert "DATABASE_URL" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    finally:
        shutil.rmtree(private, ignore_errors=True)


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
