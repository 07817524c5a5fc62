"""The shipped nginx configuration as each deployment renders it, checked by `nginx -t`: this
machine's (with or without the brotli modules) and the Docker image's; and docker-compose.yml
publishing nginx alone. (test_proxy.py runs the topology itself.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from deploy.nginx import (
    BROTLI_MODULES,
    DEPLOY,
    MODULES_DIR,
    REQUIRED_MODULES,
    TopologyError,
    modules,
    nginx_binary,
    nginx_context,
    render,
)

ROOT = Path(__file__).resolve().parents[2]

try:
    nginx_binary(), modules()
except TopologyError as missing:
    pytest.skip(f"{missing}", allow_module_level=True)


def nginx_test(config: str, prefix: Path) -> subprocess.CompletedProcess:
    path = prefix / "nginx.conf"
    path.write_text(config)
    return subprocess.run(
        [nginx_binary(), "-t", "-c", str(path), "-p", str(prefix)], capture_output=True, text=True
    )


def local_config(run_dir: Path, **values) -> str:
    return render(
        **nginx_context(
            run_dir=run_dir, listen="127.0.0.1:8000", upstream="127.0.0.1:8001", **values
        )
    )


def test_the_configuration_holds_without_the_brotli_modules(tmp_path):
    """Where nginx has no brotli modules, pages are still compressed (gzip) and it starts."""
    config = local_config(tmp_path, modules=[str(MODULES_DIR / REQUIRED_MODULES[0])], brotli=False)
    assert "brotli" not in config and "gzip on;" in config
    result = nginx_test(config, tmp_path)
    assert result.returncode == 0, result.stderr


def test_brotli_is_used_when_its_modules_are_installed(tmp_path):
    if not modules()[1]:
        pytest.skip("the brotli modules are not installed")
    config = local_config(tmp_path)
    assert all(f"load_module {MODULES_DIR / name};" in config for name in BROTLI_MODULES)
    assert "brotli on;" in config and "brotli_static on;" in config
    result = nginx_test(config, tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_docker_images_configuration(tmp_path):
    """Rendered by the Dockerfile's own command; checked here with the image's paths moved
    under a temporary folder (and the `web` service's name, which nginx -t would resolve)."""
    if not all((Path("/usr/lib/nginx/modules") / name).exists() for name in BROTLI_MODULES):
        pytest.skip("the image's brotli modules are not installed here")
    rendered = subprocess.run(
        [sys.executable, "-m", "deploy.serve", "render", "--docker"],
        cwd=ROOT, env={**os.environ, "SECRET_KEY": "build-only"},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "listen 8080 default_server;" in rendered and "server web:8000 " in rendered
    assert "alias /srv/static/;" in rendered and "alias /srv/media/;" in rendered
    assert not re.search(r"^user ", rendered, re.MULTILINE)  # the image runs it unprivileged
    config = (
        rendered.replace("/tmp/nginx", str(tmp_path))
        .replace("/etc/nginx/pagecache.js", str(DEPLOY / "pagecache.js"))
        .replace("server web:8000 ", "server 127.0.0.1:8000 ")
    )
    result = nginx_test(config, tmp_path)
    assert result.returncode == 0, result.stderr


def test_docker_compose_publishes_nginx_alone():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    # nginx listens where the published port points, and reaches gunicorn where it listens.
    assert services["proxy"]["ports"] == ["${PORT:-8000}:8080"]
    assert services["web"]["expose"] == ["8000"]
