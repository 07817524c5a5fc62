# Production images, built from one file: `app` (gunicorn; the default target) and `proxy`
# (nginx in front of it: page cache, compression, static and media files, slow clients).
# docker-compose.yml runs both. The commands here are the ones `make serve` runs, so
# `make test` exercises them.
FROM python:3.13-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH="/app/.venv/bin:$PATH" \
    DJANGO_ENV=production \
    PORT=8000

WORKDIR /app

RUN pip install --no-cache-dir uv==0.13.9

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# Both import the production settings, which need these; they only live during the build.
RUN SECRET_KEY=build-only SITE_URL=https://build.invalid \
    python manage.py collectstatic --no-input --verbosity 0 \
    && SECRET_KEY=build-only SITE_URL=https://build.invalid \
    python -m deploy.serve render --docker > deploy/nginx.docker.conf


FROM debian:bookworm-slim AS proxy

# Debian's nginx with its njs (the page cache's key) and brotli modules, as `make serve` uses.
# Unpinned: Debian's security updates for nginx should reach the image when it is rebuilt.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx-light libnginx-mod-http-js \
       libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin site \
    && mkdir -p /tmp/nginx /run/site /srv/media && chown site:site /tmp/nginx /run/site /srv/media

COPY --from=build /app/staticfiles /srv/static
COPY --from=build /app/deploy/nginx.docker.conf /etc/nginx/site.conf
COPY deploy/pagecache.js /etc/nginx/pagecache.js
USER 10001

EXPOSE 8080
CMD ["nginx", "-c", "/etc/nginx/site.conf", "-g", "daemon off;"]


FROM build AS app

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin site \
    && mkdir -p /app/.data/media /run/site && chown -R site:site /app/.data /run/site
USER 10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/livez\", timeout=4)"]

# Migrations run first (`docker compose run --rm web migrate` runs them alone).
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "site_project.wsgi"]
