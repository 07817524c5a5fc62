# The two commands a newcomer needs: `make run` (a populated local site) and `make test`.
# Everything they need is installed from here: uv, Python packages, the local PostgreSQL.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
# Links printed and put in feeds follow the port actually served.
export SITE_URL ?= http://127.0.0.1:$(PORT)
# A working uv on PATH, else one bootstrapped into .tools/ (pyenv's shim may not have it).
UV ?= $(shell uv --version >/dev/null 2>&1 && command -v uv || echo .tools/bin/uv)
RUN := $(UV) run --frozen
MANAGE := $(RUN) python manage.py

.PHONY: help run serve test lint format db db-stop migrate admin demo bench bench-http \
	bench-compare lighthouse browser-deps http-deps clean backup restore fault

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.tools/bin/uv:
	@echo "Bootstrapping uv into .tools/ ..."
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: pyproject.toml uv.lock | $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen
	@touch $@

db: .venv/.synced ## Start the local PostgreSQL (.data/pg) unless DATABASE_URL is set
	@$(RUN) python -m site_project.localdb start

db-stop: .venv/.synced ## Stop the local PostgreSQL
	@$(RUN) python -m site_project.localdb stop

migrate: db
	@$(MANAGE) migrate --no-input

admin: migrate ## Create the admin user on first run; print its login
	@$(MANAGE) ensure_admin

demo: migrate ## Load the demo content when the database has none
	@$(MANAGE) seed_demo --if-empty

run: admin demo ## Serve the site with demo content on http://127.0.0.1:$(PORT)/
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

serve: admin http-deps ## Production topology on $(PORT): nginx (cache, static files) → gunicorn
	@$(MANAGE) collectstatic --no-input --verbosity 0
	$(RUN) python -m deploy.serve --port $(PORT)

lint: .venv/.synced ## ruff, and hadolint on the Dockerfile
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) hadolint Dockerfile

format: .venv/.synced ## Apply ruff's fixes and format
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

# $(call apt,PACKAGES,WHAT): install the Debian packages named in $(1) that are missing, when
# root on Debian/Ubuntu; otherwise say what $(2) needs. An entry is "package" (a command of the
# same name) or "package:/a/file/it/installs".
define apt
	@missing=""; for entry in $(1); do package=$${entry%%:*}; file=$${entry#*:}; \
	  if [ "$$file" = "$$entry" ]; then command -v "$$package" >/dev/null 2>&1 || missing="$$missing $$package"; \
	  else [ -e "$$file" ] || missing="$$missing $$package"; fi; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing$$missing from Debian packages ..."; \
	    mkdir -p /usr/share/man/man1; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Not installed:$$missing: $(2) (apt-get install$$missing)"; fi; fi
endef
NGINX_MODULES := /usr/lib/nginx/modules
HTTP_PACKAGES := nginx-light:/usr/sbin/nginx libnginx-mod-http-js:$(NGINX_MODULES)/ngx_http_js_module.so \
	libnginx-mod-http-brotli-filter:$(NGINX_MODULES)/ngx_http_brotli_filter_module.so \
	libnginx-mod-http-brotli-static:$(NGINX_MODULES)/ngx_http_brotli_static_module.so \
	wrk redis-server

browser-deps: ## Chromium and Java for the browser tests and HTML checker (Debian/Ubuntu; Playwright never downloads a browser)
	$(call apt,chromium default-jre-headless:/usr/bin/java,the browser tests need them; they are skipped)

http-deps: ## nginx (njs, brotli), wrk and Redis: `make serve`, the proxy tests, `make bench-http`
	$(call apt,$(HTTP_PACKAGES),the proxy tests will be skipped)

test: lint db browser-deps http-deps ## Lint, then the whole suite against real PostgreSQL, with coverage
	$(RUN) pytest --cov --cov-report=term $(PYTEST_ARGS)

lighthouse: admin demo browser-deps ## Lighthouse scores (accessibility, best practices, SEO) of four pages, phone and desktop
	@[ -x .tools/lighthouse/node_modules/.bin/lighthouse ] || npm install --prefix .tools/lighthouse --no-audit --no-fund --silent lighthouse@12
	$(RUN) python scripts/lighthouse.py

bench: db ## Run the benchmarks (docs/performance.md); the first search run builds 100k items
	$(RUN) python bench/markdown_bench.py
	$(RUN) python bench/feed_bench.py
	$(RUN) python bench/search_bench.py
	$(RUN) python bench/upload_bench.py
	$(RUN) python bench/login_flood.py

ITEMS ?= 10000
bench-http: db http-deps ## Load benchmark: nginx → gunicorn against nginx static (ITEMS=100000)
	$(RUN) python bench/http_bench.py --items $(ITEMS)

bench-compare: db http-deps ## Uncached pages of BASE=<commit> and this checkout, side by side
	@test -n "$(BASE)" || { echo "Name the revision to compare with: make bench-compare BASE=HEAD~3"; exit 2; }
	$(RUN) python bench/compare_revisions.py --base $(BASE) --items $(ITEMS)

backup: db ## Archive the database and media into backups/ (BACKUP_DIR), keeping the last BACKUP_KEEP (14)
	@$(RUN) python -m site_project.backup create

restore: db ## Restore FILE=backups/site-….tar into an empty database and media folder (FORCE=1 replaces)
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/site-YYYYmmdd-HHMMSS.tar [FORCE=1]"; exit 2; }
	@$(RUN) python -m site_project.backup restore "$(FILE)" $(if $(FORCE),--force)

fault: db ## Stop the database for 10 s under load and report what readers got (bench/db_fault.py)
	$(RUN) python bench/db_fault.py

clean: ## Remove the environment and the built static files (keeps .data/)
	rm -rf .venv .tools staticfiles
