"""The embedded cluster's whole life: created on demand, reused, stopped, started again."""

import os
import shutil
import socket

import psycopg
import pytest

from site_project import localdb

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="an external database is configured"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def scratch_cluster(monkeypatch):
    # Under the project's .data/ rather than /tmp/pytest-of-root (mode 700), so the
    # unprivileged user that runs PostgreSQL for root can reach it.
    data = localdb.BASE_DIR / ".data" / f"scratch-{os.getpid()}"
    monkeypatch.setattr(localdb, "DATA_DIR", data)
    monkeypatch.setattr(localdb, "CLUSTER_DIR", data / "pg")
    monkeypatch.setattr(localdb, "SOCKET_DIR", data / "run")
    monkeypatch.setattr(localdb, "LOG_FILE", data / "postgres.log")
    monkeypatch.setattr(localdb, "PORT", free_port())
    yield data
    localdb.stop()
    shutil.rmtree(data, ignore_errors=True)


def query(sql: str):
    params = localdb.connection_settings()
    with psycopg.connect(
        dbname=params["NAME"], user=params["USER"], host=params["HOST"], port=params["PORT"]
    ) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchone()[0] if cursor.description else None


def test_create_reuse_stop_and_restart(scratch_cluster, capsys):
    assert not localdb.is_running()
    localdb.ensure_running()
    assert (scratch_cluster / "pg" / "PG_VERSION").exists()
    assert localdb.is_running()
    query("CREATE TABLE kept AS SELECT 42 AS n")
    version_file = (scratch_cluster / "pg" / "PG_VERSION").stat().st_mtime
    localdb.ensure_running()  # a second run reuses the running cluster
    assert (scratch_cluster / "pg" / "PG_VERSION").stat().st_mtime == version_file
    assert localdb.main(["localdb", "status"]) == 0
    assert capsys.readouterr().out.strip() == "running"
    localdb.stop()
    assert not localdb.is_running()
    localdb.ensure_running()  # a stopped cluster starts again, with its data
    assert query("SELECT n FROM kept") == 42
    if os.geteuid() == 0:
        owner = (scratch_cluster / "pg").stat().st_uid
        assert owner != 0, "PostgreSQL must not run as root"
