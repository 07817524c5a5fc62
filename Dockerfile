# Production image: gunicorn behind your proxy, static files served by whitenoise.
# The commands here are the ones `make serve` runs, so `make test` exercises them.
FROM python:3.13-slim

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
# collectstatic imports the settings, which need these; they only live during the build.
RUN SECRET_KEY=collectstatic-only SITE_URL=https://build.invalid \
    python manage.py collectstatic --no-input --verbosity 0

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin site \
    && mkdir -p /app/.data/media && chown -R site:site /app/.data
USER 10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/livez\", timeout=4)"]

# Migrations run first (`docker compose run --rm web migrate` runs them alone).
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "site_project.wsgi"]
