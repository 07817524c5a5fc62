"""One settings module, driven by the environment. Every variable is listed in the README.

Two modes: `DJANGO_ENV=local` (the default, for `make run` / `make serve` / tests) keeps a
generated secret in `.data/` and serves localhost; `DJANGO_ENV=production` (the Docker
image) refuses to start without a real `SECRET_KEY`.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from site_project import localdb

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = localdb.DATA_DIR


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# 1. Mode, secrets and hosts ------------------------------------------------------------

ENVIRONMENT = os.environ.get("DJANGO_ENV", "local").strip().lower()
if ENVIRONMENT not in {"local", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'local' or 'production', not {ENVIRONMENT!r}.")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", default=False)


def _local_secret_key() -> str:
    """Generated once per checkout, so sessions survive restarts of `make run`."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: production (DJANGO_ENV=production) refuses to start "
            "without one; generate one with `python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# 2. Applications ------------------------------------------------------------------------

INSTALLED_APPS = [
    # Django
    "content.apps.EditorAdminConfig",  # django.contrib.admin with the editor's own site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    # Third party
    "markdownx",
    "ninja",  # its Swagger UI from static files, not a CDN
    "reversion",
    # This project, lowest layer first: what the kinds share (app label "site_project"),
    # one app per kind (the order the site lists them in), then search and feeds.
    "content",
    "posts",
    "notes",
    "learnings",
    "bookmarks",
    "search",
    "feeds",
    # The token API, above the kinds.
    "api",
    # Whole public pages of all of the above (last: it keeps what they render).
    "pagecache",
]

MIDDLEWARE = [
    # Switches on the database limits of web requests, then leaves the chain (no cost).
    "site_project.postgres.WebRequestLimits",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag (a hash of the bytes) and 304s for every GET, cached pages included.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the others, so every response gets their headers, cached or not, and it sees
    # who is signed in; public pages answer from the cache without running their view.
    "pagecache.middleware.PageCacheMiddleware",
    # Last, so it only sees 404s that no view answered: old slugs answer 301.
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "site_project.urls"
WSGI_APPLICATION = "site_project.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "site_project.context_processors.site",
            ],
        },
    },
]

# 3. Database ----------------------------------------------------------------------------
# DATABASE_URL wins; without it, the project's own cluster under .data/ (see localdb.py).

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            **localdb.LocalDatabase().connection_settings(),
        }
    }
# Persistent connections, checked before reuse: one connection per gunicorn worker.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("CONN_HEALTH_CHECKS", True)
# Every wait on the database is bounded (site_project/postgres/): a server that does not
# answer costs readers a few seconds and a 503 page, never a worker for good. The statement
# timeout and the client-side deadline apply to web requests only, not to migrations and
# management commands.
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "3"))
DB_STATEMENT_TIMEOUT = float(os.environ.get("DB_STATEMENT_TIMEOUT", "5"))
DB_RETRY_AFTER = int(os.environ.get("DB_RETRY_AFTER", "15"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "site_project.postgres"
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DB_CONNECT_TIMEOUT
# Or psycopg's connection pool, one per worker: measured no faster (docs/performance.md).
if env_bool("DATABASE_POOL"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 1, "max_size": 2}
# Lets two checkouts (or two test runs) share one server without clashing.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# 4. Time and language -------------------------------------------------------------------
# The author's zone: learnings are grouped by day, and weeks begin, in this zone.

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = False
USE_TZ = True

# 5. Static files and uploads ------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, content-hashed files that can be cached forever.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# 6. Security ----------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))

# 7. The site itself ---------------------------------------------------------------------

SITE_NAME = os.environ.get("SITE_NAME", "Field Notes")
SITE_AUTHOR = os.environ.get("SITE_AUTHOR", "Ada Example")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_DESCRIPTION = os.environ.get(
    "SITE_DESCRIPTION",
    "Posts, notes, daily learnings and bookmarks about software: Python, databases, "
    "and the craft of building things that last.",
)
SITE_INTRO = os.environ.get(
    "SITE_INTRO",
    "I write about software engineering: Python and Django, PostgreSQL, performance, "
    "and the maths behind everyday programming. Long posts, short notes, what I learned "
    "today, and links worth your time.",
)
FEED_ITEMS = int(os.environ.get("FEED_ITEMS", "30"))
PAGE_SIZE = int(os.environ.get("PAGE_SIZE", "20"))
# Per kind, how many of the newest matches a search ranks (more would read every match).
SEARCH_WINDOW = 100

# The author's tools: the API's rate per token, fetching bookmarked pages, the digest.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/min")
LINK_FETCH = env_bool("LINK_FETCH", default=True)
# Lets the link fetcher reach loopback and private addresses: for local testing only.
LINK_FETCH_ALLOW_PRIVATE = env_bool("LINK_FETCH_ALLOW_PRIVATE", default=False)
# The kind (app label) that `compose_weekly` writes "Weekly notes" as.
WEEKLY_DIGEST_KIND = os.environ.get("WEEKLY_DIGEST_KIND", "posts")

# 8. Markdown editor (django-markdownx) --------------------------------------------------
# The preview is the published rendering: the same function renders on save.

MARKDOWNX_MARKDOWNIFY_FUNCTION = "content.markdown.markdownify"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (2000, 0), "quality": 90}
# The editor keeps the height its CSS gives it (static/css/admin.css), beside its preview.
MARKDOWNX_EDITOR_RESIZABLE = False

# 9. Caching -----------------------------------------------------------------------------
# Whole public pages and a few aggregates, keyed on the content's version (docs/performance.md).
# One machine: diskcache (SQLite files shared by every gunicorn worker). Several app servers:
# Redis (REDIS_URL). Nothing else changes between the two.

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.DiskCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(DATA_DIR / "cache")),
            "OPTIONS": {"size_limit": int(os.environ.get("CACHE_SIZE_MB", "512")) * 2**20},
            # A cache that cannot answer within 50 ms is a miss, never an error.
            "DATABASE_TIMEOUT": 0.05,
        }
    }
# The longest any cache keeps a page; a change of content makes it unreachable at once.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "86400"))
# How long browsers and CDNs may keep a page, and serve it stale while they ask again.
PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", "60"))
PAGE_STALE_SECONDS = int(os.environ.get("PAGE_STALE_SECONDS", "600"))
# Requests carrying `X-Cache-Bypass: <token>` get freshly rendered pages (benchmarks).
PAGE_CACHE_BYPASS_TOKEN = os.environ.get("PAGE_CACHE_BYPASS_TOKEN", "")
# Where nginx reads the page generation (deploy/nginx.conf): every process that changes
# content writes it (the admin, commands), so it is a setting, not a detail of `make serve`.
# Empty when no proxy caches pages.
PROXY_GENERATION_FILE = os.environ.get(
    "PROXY_GENERATION_FILE", "" if PRODUCTION else str(DATA_DIR / "run" / "generation")
)

# 10. Logging -----------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
