"""Load benchmark: the production topology (nginx in front of gunicorn) on a generated database,
against nginx serving the same pages from files, the physical limit on this machine.

    make bench-http                  # 10,000 items
    make bench-http ITEMS=100000     # = .tools/bin/uv run python bench/http_bench.py --items 100000

The database (`bench_http_<items>` on the local PostgreSQL, or on DATABASE_URL's server) is
filled once by `generate_content` (20% posts, 10% notes, 20% learnings, 50% bookmarks, 300
tags) and reused. Each page type's HTML is saved from the proxy and served by a second nginx
on another port. Then, for several rounds, each page is loaded by wrk in turn: nginx's file,
the cached page, and the page with every cache bypassed (a token both nginx and Django know)
at 1 and 16 connections. The table gives medians over the rounds. Then 200 slow-header
clients are held against the proxy while a normal request is timed, and the same is tried
against gunicorn alone; then workers are recycled every 200 requests under load.

Results are also written to bench/results/http-<items>-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from http_load import (
    BENCH,
    WORK,
    median,
    page_urls,
    prepare_database,
    query_counts,
    server_env,
    wrk,
)
from topology_checks import compare_connections, recycling, slow_clients

TARGETS_MS = {  # uncached, c=1, 10k items (issue 11)
    "home": 10, "post": 8, "learnings day": 10, "tag": 15, "archive": 15, "feed": 20,
    "search": 25,
}  # fmt: skip
ENCODINGS = {"identity": "", "gzip": "gzip", "br": "br"}


def save_pages(base: str, urls: dict[str, str], encoding: str, directory: Path) -> dict[str, str]:
    """Each page's bytes from the proxy, as files for the static nginx; returns their paths."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    paths = {}
    for name, url in urls.items():
        suffix = ".atom" if "feed" in name else ".html"
        path = f"/{name.replace(' ', '-')}{suffix}"
        for accept, extension in (("", ""), ("gzip", ".gz"), ("br", ".br")):
            if accept and accept != encoding:
                continue
            request = urllib.request.Request(base + url, headers={"Accept-Encoding": accept})
            with urllib.request.urlopen(request) as response:
                (directory / (path[1:] + extension)).write_bytes(response.read())
        paths[name] = path
    return paths


def static_nginx(directory: Path, port: int, run_dir: Path) -> subprocess.Popen:
    from deploy.nginx import MIME_TYPES, modules, nginx_binary
    from deploy.serve import die_with_parent

    module_files, brotli = modules()
    run_dir.mkdir(parents=True, exist_ok=True)
    loads = "".join(f"load_module {m};\n" for m in module_files if "brotli" in m)
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = run_dir / "static.conf"
    config.write_text(
        f"{loads}{user}worker_processes auto;\npid {run_dir}/static.pid;\n"
        f"error_log {run_dir}/static-error.log warn;\n"
        "events { worker_connections 4096; }\n"
        f"http {{ include {MIME_TYPES}; access_log off; sendfile on; tcp_nopush on;\n"
        f"  client_body_temp_path {run_dir}/body; proxy_temp_path {run_dir}/proxy;\n"
        f"  server {{ listen 127.0.0.1:{port}; root {directory}; gzip_static on;\n"
        f"  {'brotli_static on;' if brotli else ''} }} }}\n"
    )
    process = subprocess.Popen(
        [nginx_binary(), "-c", str(config), "-p", str(run_dir), "-g", "daemon off;"],
        preexec_fn=die_with_parent,
    )
    time.sleep(0.5)
    return process


def run_rounds(proxy: str, static: str, urls, paths, args, token: str) -> dict:
    accept = {"Accept-Encoding": ENCODINGS[args.encoding]} if args.encoding != "identity" else {}
    results: dict[str, dict[str, list[dict]]] = {name: {} for name in urls}
    names = list(urls)
    for round_number in range(args.rounds):
        # Rotate the order, so no page always runs first (or last) in a round.
        order = names[round_number % len(names) :] + names[: round_number % len(names)]
        for name in order:
            runs = {
                "static": (static + paths[name], 16, accept),
                "cached": (proxy + urls[name], 16, accept),
                "uncached c16": (proxy + urls[name], 16, {**accept, "X-Cache-Bypass": token}),
                "uncached c1": (proxy + urls[name], 1, {**accept, "X-Cache-Bypass": token}),
            }
            for label, (url, connections, headers) in runs.items():
                report = wrk(url, connections, args.seconds, headers)
                results[name].setdefault(label, []).append(report)
            summary = results[name]
            print(
                f"round {round_number + 1}/{args.rounds} {name}: static "
                f"{summary['static'][-1]['rps']:.0f}/s, cached {summary['cached'][-1]['rps']:.0f}"
                f"/s, uncached c1 p50 {summary['uncached c1'][-1]['p50_ms']:.1f} ms",
                file=sys.stderr,
            )
    return results


def table(results: dict, queries: dict[str, int], items: int) -> str:
    lines = [
        "| page | queries | req/s cached | req/s uncached | uncached p50/p99 c=1 (ms) | "
        "uncached p50/p99 c=16 (ms) | cached p50/p99 c=16 (ms) | nginx static req/s | "
        "cached / static (rounds) | uncached c=1 target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, runs in results.items():

        def m(label: str, key: str, runs: dict = runs) -> float:
            return median([run[key] for run in runs[label]])

        # Each round loads the file and the cached page back to back: the ratio is taken
        # within a round (side by side), then the median over rounds, with their range.
        pairs = zip(runs["cached"], runs["static"], strict=True)
        ratios = [cached["rps"] / static["rps"] for cached, static in pairs]
        ratio = f"{median(ratios):.0%} ({min(ratios):.0%}–{max(ratios):.0%})"
        target = TARGETS_MS.get(name)
        verdict = ""
        if target and items <= 10_000:
            verdict = f"≤ {target} ms: {'yes' if m('uncached c1', 'p50_ms') <= target else 'NO'}"
        errors = sum(run["errors"] + run["non_2xx"] for label in runs for run in runs[label])
        lines.append(
            f"| {name} | {queries[name]} | {m('cached', 'rps'):,.0f} | "
            f"{m('uncached c16', 'rps'):,.0f} | "
            f"{m('uncached c1', 'p50_ms'):.1f} / {m('uncached c1', 'p99_ms'):.1f} | "
            f"{m('uncached c16', 'p50_ms'):.1f} / {m('uncached c16', 'p99_ms'):.1f} | "
            f"{m('cached', 'p50_ms'):.2f} / {m('cached', 'p99_ms'):.2f} | "
            f"{m('static', 'rps'):,.0f} | {ratio} | {verdict}"
            + (f" ({errors} errors)" if errors else "")
            + " |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--encoding", choices=list(ENCODINGS), default="identity")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: 2 × cores + 1)")
    parser.add_argument("--pool", action="store_true", help="psycopg's pool (DATABASE_POOL=1)")
    parser.add_argument("--slow-clients", type=int, default=200)
    parser.add_argument("--slow-seconds", type=float, default=60)
    parser.add_argument("--skip", nargs="*", default=[], choices=["pages", "slow", "recycling"])
    parser.add_argument(
        "--compare-connections", action="store_true",
        help="only compare persistent connections and psycopg's pool, with and without checks",
    )  # fmt: skip
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `make http-deps` (or apt-get install wrk).")

    token = secrets.token_urlsafe(16)
    env = {
        **server_env(args.items, token),
        **({"WEB_CONCURRENCY": str(args.workers)} if args.workers else {}),
        **({"DATABASE_POOL": "1"} if args.pool else {}),
    }
    shutil.rmtree(WORK / "cache", ignore_errors=True)
    os.environ.update(env)
    import django

    django.setup()
    prepare_database(args.items)
    urls = page_urls()
    queries = query_counts(urls, token)

    from content.models import content_models
    from deploy.serve import Topology, free_port

    items = sum(model.objects.count() for model in content_models())
    if args.compare_connections:
        compared = compare_connections(args, env, urls, token)
        print(f"\n{items:,} items, uncached, req/s and p50 ms, medians of {args.rounds} rounds:")
        for label, runs in compared.items():
            cells = ", ".join(f"{run} {rps:.0f}/s {p50:.1f} ms" for run, (rps, p50) in runs.items())
            print(f"- {label}: {cells}")
        return
    results = {}
    with Topology(free_port(), WORK / "run", env=env) as topology:
        if "pages" not in args.skip:
            paths = save_pages(topology.url, urls, ENCODINGS[args.encoding], WORK / "pages")
            static_port = free_port()
            static = static_nginx(WORK / "pages", static_port, WORK / "static-run")
            try:
                static_url = f"http://127.0.0.1:{static_port}"
                results = run_rounds(topology.url, static_url, urls, paths, args, token)
            finally:
                static.terminate()
                static.wait()
        slow = slow_clients(topology, args) if "slow" not in args.skip else {}
    recycled = recycling(args, env, urls["home"], token) if "recycling" not in args.skip else {}

    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(
        f"\n{items:,} items; wrk, {args.seconds:g} s per run, medians of {args.rounds} "
        f"interleaved rounds; Accept-Encoding: {args.encoding}; "
        f"{'pooled' if args.pool else 'persistent'} connections; load average {load} on "
        f"{os.cpu_count()} CPUs; {datetime.date.today()}\n"
    )
    if results:
        print(table(results, queries, items))
    for label, found in slow.items():
        print(f"\nSlow clients against {label}: {found}")
    for label, found in recycled.items():
        print(f"Recycling, {label}: {found}")
    out = BENCH / "results" / f"http-{args.items}-{datetime.date.today()}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {"args": vars(args), "items": items, "urls": urls, "queries": queries,
             "results": results, "slow": slow, "recycling": recycled, "load": load},
            indent=1,
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
