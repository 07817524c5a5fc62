"""One settings module, driven by the environment. Every variable is listed in the README.

Two modes: `DJANGO_ENV=local` (the default, for `make run` / `make serve` / tests) keeps a
generated secret in `.data/` and serves localhost; `DJANGO_ENV=production` (the Docker
image) refuses to start without a real `SECRET_KEY`.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

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

# Feeds and canonical links are built from it: in production, the site's https address.
SITE_URL = os.environ.get("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
if PRODUCTION and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        f"SITE_URL must be the site's https address in production, e.g. https://example.com "
        f"(got {SITE_URL!r}): feeds and canonical links are built from it."
    )
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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Sign-in: lockout page, two-factor setup and recovery codes (depends on nothing here).
    "accounts",
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
    # Security headers next: every response carries them, the 400 a bad Host gets included.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag (a hash of the bytes) and 304s for every GET, cached pages included.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SignInGuardMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",  # a sign-in that reaches the limit gets the lockout page
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

# 6. Security: what each header does and its grade are in docs/security.md -------------

SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"  # X-Frame-Options: DENY by default
CSRF_FAILURE_VIEW = "site_project.errors.csrf_failure"

# One policy for every response and no nonce (public pages are cached and shared): no template
# has inline code, and all the admin and markdownx load is same-origin (XHR: connect-src).
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, *env_list("CSP_IMG_SRC", "https:")],  # Markdown's images, too
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# Powerful browser features the site never uses, refused to it and to anything it embeds.
PERMISSIONS_POLICY = dict.fromkeys([
    "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics", "camera",
    "display-capture", "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection",
    "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking"], ())  # fmt: skip

if PRODUCTION:
    # TLS ends at the proxy, which says so in X-Forwarded-Proto (and must overwrite it).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^healthz$"]  # the container's plain-http check
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)  # slow to undo: opt in
    SECURE_CSP["upgrade-insecure-requests"] = True
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]  # "no preload"

# 7. Signing in (docs/security.md) -------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}Validator", "OPTIONS": options}
    for name, options in [("UserAttributeSimilarity", {}), ("CommonPassword", {}),
                          ("NumericPassword", {}), ("MinimumLength", {"min_length": 12})]
]  # fmt: skip
AUTHENTICATION_BACKENDS = [
    # First: a locked-out username or address is refused before any password is hashed.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either reaching the limit is locked
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
# A guess while locked out is not recorded: the lockout ends when the last failure says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_VERBOSE = False  # no banner on every command
# How many proxies in front append to X-Forwarded-For (nginx: one). 0 trusts REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0"))

# Two-factor sign-in is open to all staff; required, a session without it can only set it up.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", PRODUCTION)

# 8. The site itself ---------------------------------------------------------------------

SITE_NAME = os.environ.get("SITE_NAME", "Field Notes")
OTP_TOTP_ISSUER = SITE_NAME  # what authenticator apps show beside the code
SITE_AUTHOR = os.environ.get("SITE_AUTHOR", "Ada Example")
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

# 9. Markdown editor (django-markdownx) and uploads -------------------------------------
# The preview is the published rendering: the same function renders on save.

MARKDOWNX_MARKDOWNIFY_FUNCTION = "content.markdown.markdownify"
# The editor keeps the height its CSS gives it (static/css/admin.css), beside its preview.
MARKDOWNX_EDITOR_RESIZABLE = False
# Uploads (content/uploads.py): bytes per file; pixels per image, counting every frame and
# read from the header, before decoding; uploads per user per hour.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", "40000000"))
UPLOAD_RATE = int(os.environ.get("UPLOAD_RATE", "30"))

# 10. Caching ----------------------------------------------------------------------------
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

# 11. Logging ---------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
