"""nginx's configuration: `deploy/nginx.conf` rendered with this machine's paths (or the Docker
image's), and where nginx and its modules are."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY = BASE_DIR / "deploy"
DEBIAN_MODULES_DIR = Path("/usr/lib/nginx/modules")
MODULES_DIR = Path(os.environ.get("NGINX_MODULES_DIR", DEBIAN_MODULES_DIR))
# What nginx compresses (gzip, and brotli when its module is there): text, not images.
COMPRESSIBLE = (
    "text/css text/plain text/xml application/xml application/json application/feed+json "
    "application/atom+xml application/rss+xml application/javascript image/svg+xml"
)
MIME_TYPES = Path(os.environ.get("NGINX_MIME_TYPES", "/etc/nginx/mime.types"))
# njs reads the page generation; brotli is used when its modules are installed.
REQUIRED_MODULES = ("ngx_http_js_module.so",)
BROTLI_MODULES = ("ngx_http_brotli_filter_module.so", "ngx_http_brotli_static_module.so")
INSTALL_HINT = (
    "nginx with its njs module is needed: `make http-deps` installs it on Debian/Ubuntu "
    "(apt-get install nginx-light libnginx-mod-http-js libnginx-mod-http-brotli-filter "
    "libnginx-mod-http-brotli-static)."
)


class TopologyError(RuntimeError):
    pass


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )
    if not found:
        raise TopologyError(INSTALL_HINT)
    return found


def modules(directory: Path = MODULES_DIR) -> tuple[list[str], bool]:
    """The module files to load, and whether brotli is among them."""
    missing = [name for name in REQUIRED_MODULES if not (directory / name).exists()]
    if missing:
        raise TopologyError(f"{', '.join(missing)} not found in {directory}. {INSTALL_HINT}")
    brotli = all((directory / name).exists() for name in BROTLI_MODULES)
    names = REQUIRED_MODULES + (BROTLI_MODULES if brotli else ())
    return [str(directory / name) for name in names], brotli


def render(**context) -> str:
    """`deploy/nginx.conf` with `context` filled in (Django's template language)."""
    from django.template import Context, Engine

    template = Engine().from_string((DEPLOY / "nginx.conf").read_text())
    return template.render(Context(context, autoescape=False))


def nginx_context(**values) -> dict:
    """What the template needs: defaults from the settings, overridden by `values`."""
    from django.conf import settings

    if "modules" not in values:
        values["modules"], values["brotli"] = modules()
    run_dir = Path(values.pop("run_dir"))
    context = {
        # nginx started by root runs its workers as `nobody`, who cannot read a checkout.
        "user": "root" if os.geteuid() == 0 else "",
        "workers": "auto",
        "run_dir": run_dir,
        "error_log": run_dir / "nginx-error.log",
        "access_log": "off",
        "mime_types": MIME_TYPES,
        "compressible": COMPRESSIBLE,
        "js_file": DEPLOY / "pagecache.js",
        "generation_file": settings.PROXY_GENERATION_FILE or run_dir / "generation",
        "cache_dir": run_dir / "cache",
        "cache_size": "1g",
        "session_cookie_pattern": re.escape(settings.SESSION_COOKIE_NAME),
        "bypass_token": settings.PAGE_CACHE_BYPASS_TOKEN,
        "static_root": settings.STATIC_ROOT,
        "media_root": settings.MEDIA_ROOT,
    }
    return context | values


def docker_config() -> str:
    """nginx.conf for the Docker image's proxy service (docker-compose.yml): Debian's nginx,
    as installed there, whatever this machine has."""
    return render(
        **nginx_context(
            modules=[str(DEBIAN_MODULES_DIR / name) for name in REQUIRED_MODULES + BROTLI_MODULES],
            brotli=True,
            mime_types="/etc/nginx/mime.types",
            run_dir=Path("/tmp/nginx"),
            user="",
            error_log="stderr",
            access_log="/dev/stdout",
            listen="8080",
            upstream="web:8000",
            static_root="/srv/static",
            media_root="/srv/media",
            generation_file="/run/site/generation",
            js_file="/etc/nginx/pagecache.js",
            bypass_token="",
        )
    )
