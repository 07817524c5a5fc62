"""Lighthouse's accessibility, best-practices and SEO scores for the main pages, on a phone and
on a desktop, served the production way (gunicorn, DEBUG off, hashed static files). The
figures are in docs/reading.md.

    make lighthouse                                  # installs Lighthouse, serves, measures
    .tools/bin/uv run python scripts/lighthouse.py   # the same, once Lighthouse is installed

It serves the local database's content (`make run` loads the demo) with gunicorn on a free
loopback port, runs the npm `lighthouse` package from .tools/lighthouse/ against the system
Chromium (CHROME_PATH=/usr/bin/chromium; nothing is downloaded) for the home page, a post, a
day of learnings and a search, and prints a table. Scores are out of 100; the search page is
noindex on purpose, so its SEO score is shown but not held to 100. The JSON reports are kept
in bench/results/lighthouse/. It exits non-zero when a score that should be 100 is not.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from deploy.nginx import TopologyError
from deploy.serve import start_gunicorn, wait_for
from site_project.localdb import free_port

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
RESULTS = ROOT / "bench" / "results" / "lighthouse"
DEMO_POST = "/posts/what-a-btree-index-costs/"
CATEGORIES = ("accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def serve(port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "0", "SITE_URL": f"http://127.0.0.1:{port}"}
    env |= {"BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "ALLOWED_HOSTS": "127.0.0.1"}
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = start_gunicorn(env["BIND"], env)
    live = f"http://127.0.0.1:{port}/livez"
    try:
        wait_for(lambda: urllib.request.urlopen(live, timeout=1), "gunicorn", process=server)
    except TopologyError as error:
        server.terminate()
        raise SystemExit(str(error)) from error
    return server


def pages(base: str) -> dict[str, str]:
    """The home page, a post (the demo's with code, maths and a table, else the newest), the
    newest day of learnings, a search."""

    def first(path: str, pattern: str) -> str:
        html = urllib.request.urlopen(base + path).read().decode()
        return re.search(pattern, html).group(1)

    try:
        post = DEMO_POST if urllib.request.urlopen(base + DEMO_POST).status == 200 else None
    except urllib.error.HTTPError:
        post = None
    return {
        "home": "/",
        "post": post or first("/posts/", r'<h2><a href="(/posts/[^"]+)"'),
        "learnings day": first("/learnings/", r'href="(/learnings/\d{4}/\d{2}/\d{2}/)"'),
        "search": "/search/?q=postgresql+index",
    }


def lighthouse(url: str, form_factor: str, name: str) -> dict[str, int]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = RESULTS / f"{name.replace(' ', '-')}-{form_factor}.json"
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
    ]  # fmt: skip
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, check=True, env=env, timeout=300)
    data = json.loads(report.read_text())
    scores = {key: round(data["categories"][key]["score"] * 100) for key in CATEGORIES}
    failed = [
        audit["id"]
        for audit in data["audits"].values()
        if audit.get("score") is not None and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    ]  # fmt: skip
    return {**scores, "failed": failed}


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: `make lighthouse` installs it with npm.")
        return 2
    port = free_port()
    server = serve(port)
    base = f"http://127.0.0.1:{port}"
    bad = 0
    try:
        print(f"{'page':15} {'device':8} {'access.':>8} {'best pr.':>8} {'SEO':>5}  below 1")
        for name, path in pages(base).items():
            for form_factor in ("mobile", "desktop"):
                result = lighthouse(base + path, form_factor, name)
                held = [c for c in CATEGORIES if not (name == "search" and c == "seo")]
                bad += sum(result[c] < 100 for c in held)
                print(
                    f"{name:15} {form_factor:8} {result['accessibility']:>8} "
                    f"{result['best-practices']:>8} {result['seo']:>5}  "
                    f"{', '.join(result['failed']) or '-'}"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
