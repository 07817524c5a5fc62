"""What the production topology does besides serving pages fast (`http_bench.py` runs them):
slow clients held against the proxy, worker recycling under load, and the ways of holding
database connections compared."""

from __future__ import annotations

import urllib.request

from http_load import WORK, median, wrk


def slow_clients(topology, args) -> dict:
    """200 slow-header clients against the proxy; then, for contrast, 20 against gunicorn."""
    from slow_clients import hold

    from deploy.serve import free_port, start_gunicorn, wait_for

    found = {"proxy": hold(topology.url + "/", args.slow_clients, args.slow_seconds)}
    port = free_port()
    gunicorn = start_gunicorn(f"127.0.0.1:{port}", topology.app_env)
    try:
        live = f"http://127.0.0.1:{port}/livez"
        wait_for(lambda: urllib.request.urlopen(live), "gunicorn", process=gunicorn)
        found["gunicorn alone"] = hold(f"http://127.0.0.1:{port}/", 20, 15)
    finally:
        gunicorn.terminate()
        gunicorn.wait()
    return found


def recycling(args, env: dict[str, str], url: str, token: str) -> dict:
    """Two workers, two clients, uncached pages: the issue's setup, where a worker importing
    the app after its recycling left the other to do everything, and both at once nothing.
    Each worker restarts every ~100 requests here; p99 and the slowest request tell."""
    from deploy.serve import Topology, free_port

    found = {}
    for label, extra in {
        "no recycling": {"GUNICORN_MAX_REQUESTS": "0"},
        "every ~100 requests, preloaded": {"GUNICORN_MAX_REQUESTS": "100"},
        "every ~100 requests, not preloaded": {
            "GUNICORN_MAX_REQUESTS": "100",
            "GUNICORN_PRELOAD": "0",
        },
    }.items():
        extra |= {"GUNICORN_MAX_REQUESTS_JITTER": "50", "WEB_CONCURRENCY": "2"}
        with Topology(free_port(), WORK / "recycle", env={**env, **extra}) as topology:
            report = wrk(topology.url + url, 2, 20, {"X-Cache-Bypass": token})
        keys = ("rps", "p50_ms", "p99_ms", "max_ms", "errors", "non_2xx")
        found[label] = {key: report[key] for key in keys}
    return found


CONNECTIONS = {
    "persistent, checked": {},
    "persistent, unchecked": {"CONN_HEALTH_CHECKS": "0"},
    "pool, checked": {"DATABASE_POOL": "1"},
    "pool, unchecked": {"DATABASE_POOL": "1", "CONN_HEALTH_CHECKS": "0"},
}


def compare_connections(args, env: dict[str, str], urls: dict[str, str], token: str) -> dict:
    """Uncached pages under each way of holding database connections, four topologies side by
    side, runs interleaved: persistent connections (CONN_MAX_AGE) or psycopg's pool, with
    Django's health check before reuse or without."""
    from contextlib import ExitStack

    from deploy.serve import Topology, free_port

    found: dict[str, dict[str, list[dict]]] = {label: {} for label in CONNECTIONS}
    with ExitStack() as stack:
        running = {
            label: stack.enter_context(
                Topology(free_port(), WORK / f"db-{n}", env={**env, **extra})
            )
            for n, (label, extra) in enumerate(CONNECTIONS.items())
        }
        for _ in range(args.rounds):
            for name in ("home", "post", "tag"):
                for connections in (1, 16):
                    for label, topology in running.items():
                        report = wrk(topology.url + urls[name], connections, args.seconds,
                                     {"X-Cache-Bypass": token})  # fmt: skip
                        found[label].setdefault(f"{name} c={connections}", []).append(report)
    return {
        label: {run: (median([r["rps"] for r in reports]), median([r["p50_ms"] for r in reports]))
                for run, reports in runs.items()}
        for label, runs in found.items()
    }  # fmt: skip
