"""Slow clients (slowloris): connections that send a request's headers a line at a time and
never finish, held open while a normal request is timed every half second.

    .tools/bin/uv run python bench/slow_clients.py URL [--connections 200] [--seconds 60]

`make bench-http` runs it against the proxy (and, for contrast, against gunicorn alone).
"""

from __future__ import annotations

import argparse
import contextlib
import selectors
import socket
import statistics
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

LINE_EVERY = 5.0  # seconds between two header lines of a slow client
PROBE_EVERY = 0.5


def _open(host: str, port: int) -> socket.socket | None:
    try:
        conn = socket.create_connection((host, port), timeout=2)
        conn.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\n".encode())
        conn.setblocking(False)
        return conn
    except OSError:
        return None


def _probe(url: str, stop: threading.Event, results: list[float], failures: list[str]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
            results.append((time.perf_counter() - started) * 1000)
        except (OSError, urllib.error.URLError) as error:
            failures.append(str(error))
        stop.wait(PROBE_EVERY)


def hold(url: str, connections: int, seconds: float) -> dict:
    """Keep `connections` slow clients on `url`'s server for `seconds`; time requests to
    `url` meanwhile."""
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    selector = selectors.DefaultSelector()
    opened = reconnects = 0
    for _ in range(connections):
        if conn := _open(host, port):
            selector.register(conn, selectors.EVENT_READ)
            opened += 1
    latencies: list[float] = []
    failures: list[str] = []
    stop = threading.Event()
    prober = threading.Thread(target=_probe, args=(url, stop, latencies, failures))
    prober.start()
    deadline = time.monotonic() + seconds
    next_line = time.monotonic() + LINE_EVERY
    try:
        while time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.2):
                # The server answered (a 408) or closed: that client comes back at once.
                selector.unregister(key.fileobj)
                key.fileobj.close()
                if conn := _open(host, port):
                    selector.register(conn, selectors.EVENT_READ)
                    reconnects += 1
            if time.monotonic() >= next_line:
                for key in list(selector.get_map().values()):
                    with contextlib.suppress(OSError):
                        key.fileobj.send(b"X-Slow: 1\r\n")
                next_line += LINE_EVERY
    finally:
        stop.set()
        prober.join()
        for key in list(selector.get_map().values()):
            key.fileobj.close()
    return {
        "connections": opened,
        "reconnects": reconnects,
        "probes": len(latencies),
        "failures": len(failures),
        "median_ms": statistics.median(latencies) if latencies else None,
        "max_ms": max(latencies) if latencies else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    print(hold(args.url, args.connections, args.seconds))


if __name__ == "__main__":
    main()
