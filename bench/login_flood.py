"""A reader's latency while 5 clients guess the admin's password, with and without the lockout.

    .tools/bin/uv run --frozen python bench/login_flood.py [--seconds 30] [--rounds 3]
        [--no-lockout | --rotate | --control] [--proxy]

Serves the production settings with gunicorn (its default 2×cores+1 sync workers) on a
throwaway database (`test_site_login_bench`) holding the demo content and an `admin` whose
password is hashed as in production. Requests arrive as the TLS-terminating proxy forwards
them (X-Forwarded-Proto, X-Forwarded-For). Each round measures, for `--seconds`:

- quiet: one reader fetching the home page, one request at a time;
- flood: the same reader while 5 clients (5 processes at the lowest CPU priority, standing in
  for clients on other machines), each from its own address, post wrong passwords for
  `admin` to /admin/login/ as fast as the server answers, each reusing the CSRF token it
  fetched once, as an efficient guessing tool does.

`--no-lockout` serves the same settings without the sign-in protections (django-axes off,
no guard middleware: the site before them), for a side-by-side figure; `--rotate` gives every
guess a new username and address, which no per-username or per-address lockout can stop
(the credential-stuffing case); `--control` floods with the cheapest request there is (GET
/livez) instead, which shows what any 5 such clients cost a reader on this machine.
`--proxy` serves the production topology instead (nginx in front, deploy/serve.py): each
attacker connects from its own loopback address (127.0.0.2-6), nginx's sign-in rate limit
answers the guesses past its burst, and the reader's home page skips the page caches
(the bypass token), so that every one of its requests still needs a gunicorn worker. Rounds
alternate quiet and flood, and the flood goes on from round to round as a real one would:
the first flood round includes the guesses checked before the lockout (5, one at a time),
the later ones are the lockout's steady state. Each round's p50 ratio (flood / quiet,
measured side by side) and their median are printed, with the machine's load average, since
other work on it changes every figure.
"""

import argparse
import collections
import http.client
import multiprocessing
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "test_site_login_bench")

import django  # noqa: E402  (needs the environment above)

HOST = "localhost"
LABELS = {
    200: "checked, wrong",
    429: "refused unchecked (locked out, busy, or past nginx's sign-in rate)",
}
# --control: the cheapest request the site answers, in place of a guess.
CONTROL = (
    f"GET /livez HTTP/1.1\r\nHost: {HOST}\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n"
).encode()
PASSWORD = secrets.token_urlsafe(16)


# --proxy: the reader's requests skip the page caches (nginx's and Django's) with this token.
BYPASS = secrets.token_urlsafe(16)
READER_HEADERS: dict[str, str] = {}


def request(port: int, method: str, path: str, client: str, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": client}
    sent |= READER_HEADERS
    try:
        connection.request(method, path, body=body, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read()
    finally:
        connection.close()


def login_form(port: int) -> tuple[str, str]:
    """The CSRF cookie and form token, fetched once: the token stays valid for every guess."""
    _, cookie, page = request(port, "GET", "/admin/login/", "203.0.113.250")
    token = cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
    form = page.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    return token, form


def guess_request(csrf: tuple[str, str], username: str, client: str) -> bytes:
    """One wrong password as a browser posts it (CSRF cookie, token and Origin), whole."""
    token, form = csrf
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": form, "username": username, "password": secrets.token_hex(8)}
    ).encode()
    head = (
        f"POST /admin/login/ HTTP/1.1\r\nHost: {HOST}\r\nX-Forwarded-Proto: https\r\n"
        f"X-Forwarded-For: {client}\r\nOrigin: https://{HOST}\r\nCookie: csrftoken={token}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def send(port: int, data: bytes, source: str = "127.0.0.1") -> int:
    """The request in one write, as the proxy forwards it (nginx buffers a client's request
    and hands gunicorn the whole of it, so a slow client never holds a worker)."""
    address = ("127.0.0.1", port)
    with socket.create_connection(address, timeout=60, source_address=(source, 0)) as connection:
        connection.sendall(data)
        response = b""
        while chunk := connection.recv(65536):
            response += chunk
    return int(response.split(b" ", 2)[1])


def attacker(port: int, n: int, mode: str, stop, results) -> None:
    """One guessing client, as fast as the server answers. Its own process, at the lowest
    CPU priority: a real attacker's client runs on its own machine, so what is measured is
    the server's cost of answering guesses, not this script's cost of sending them."""
    os.nice(19)
    csrf = login_form(port)
    timings: dict[int, list[float]] = collections.defaultdict(list)
    count = 0
    while not stop.is_set():
        count += 1
        rotate = mode == "rotate"
        client = f"203.0.{n}.{count % 250 + 1}" if rotate else f"203.0.113.{n + 1}"
        username = f"user{n}x{count}" if rotate else "admin"
        data = CONTROL if mode == "control" else guess_request(csrf, username, client)
        started = time.perf_counter()
        status = send(port, data, f"127.0.0.{n + 2}")
        timings[status].append((time.perf_counter() - started) * 1000)
    results.put(dict(timings))


def read_home(port: int, seconds: float) -> list[float]:
    timings = []
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        started = time.perf_counter()
        status, _, _ = request(port, "GET", "/", "198.51.100.200")
        assert status == 200, status
        timings.append((time.perf_counter() - started) * 1000)
        time.sleep(0.05)  # a reader, not a load generator
    return timings


def flood(port: int, seconds: float, mode: str) -> tuple[list[float], dict[int, list]]:
    """The reader's timings during the flood; each guess's time, by response status."""
    context = multiprocessing.get_context("spawn")
    stop, results = context.Event(), context.Queue()
    attackers = [
        context.Process(target=attacker, args=(port, n, mode, stop, results)) for n in range(5)
    ]
    for process in attackers:
        process.start()
    time.sleep(2)  # the flood is under way before the reader starts
    try:
        timings = read_home(port, seconds)
    finally:
        stop.set()
    guesses: dict[int, list[float]] = collections.defaultdict(list)
    for _ in attackers:
        for status, times in results.get(timeout=120).items():
            guesses[status] += times
    for process in attackers:
        process.join()
    return timings, guesses


def serve(lockout: bool, static_root: str, proxy: bool) -> tuple[object, int]:
    from django.db import connection

    from site_project.localdb import connection_url, free_port

    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))},
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "DATABASE_URL": connection_url(connection.settings_dict),
        "STATIC_ROOT": static_root,
        "BIND": f"127.0.0.1:{port}",
    }
    if not lockout:
        env["DJANGO_SETTINGS_MODULE"] = "bench.settings_no_lockout"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    if proxy:
        from deploy.serve import Topology

        del env["BIND"]
        # Topology checks nginx is up with a plain GET of /livez at 127.0.0.1.
        env["ALLOWED_HOSTS"] = f"{HOST},127.0.0.1"
        env["PAGE_CACHE_BYPASS_TOKEN"] = READER_HEADERS["X-Cache-Bypass"] = BYPASS
        run_dir = Path(tempfile.mkdtemp(prefix="login-flood-"))
        topology = Topology(port, run_dir, env={**env, "CACHE_DIR": str(run_dir / "django")})
        try:
            return topology.start(), port
        except Exception:
            topology.stop()
            raise
    from deploy.serve import start_gunicorn, wait_for

    server = start_gunicorn(env["BIND"], env)
    live = lambda: request(port, "GET", "/livez", "127.0.0.1")[0] == 200  # noqa: E731
    wait_for(live, "gunicorn", process=server)
    return server, port


def reset_lockouts() -> None:
    from axes.models import AccessAttempt, AccessFailureLog

    AccessAttempt.objects.all().delete()
    AccessFailureLog.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-lockout", action="store_true")
    parser.add_argument("--rotate", action="store_true")
    parser.add_argument("--control", action="store_true", help="5 clients asking for /livez")
    parser.add_argument("--proxy", action="store_true", help="through nginx, as in production")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        from site_project import localdb

        localdb.LocalDatabase().ensure_running()
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test.utils import setup_databases, teardown_databases

    databases = setup_databases(verbosity=0, interactive=False)
    server = None
    try:
        call_command("seed_demo", verbosity=0)
        get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)
        with tempfile.TemporaryDirectory() as static_root:
            server, port = serve(not args.no_lockout, static_root, args.proxy)
            read_home(port, 2)  # warm up every worker's connection and templates
            quiet, busy = [], []
            guesses: dict[int, list[float]] = collections.defaultdict(list)
            reset_lockouts()
            for n in range(args.rounds):
                quiet.append(statistics.median(read_home(port, args.seconds)))
                mode = "control" if args.control else "rotate" if args.rotate else "guess"
                timings, by_status = flood(port, args.seconds, mode)
                busy.append(statistics.median(timings))
                for status, times in by_status.items():
                    guesses[status] += times
                counts = {status: len(times) for status, times in sorted(by_status.items())}
                print(f"round {n + 1}: reader p50 quiet {quiet[-1]:.1f} ms, "
                      f"during the flood {busy[-1]:.1f} ms; guesses {counts}")  # fmt: skip
    finally:
        if hasattr(server, "stop"):
            server.stop()
        elif server:
            server.terminate()
            server.wait(timeout=20)
        teardown_databases(databases, verbosity=0)
    mode = "protections off" if args.no_lockout else "lockout and guard on"
    mode += ", every guess a new username and address" if args.rotate else ""
    mode = "control: 5 clients asking for /livez" if args.control else mode
    mode += ", through nginx" if args.proxy else ""
    total = sum(len(times) for times in guesses.values())
    print(f"load average {os.getloadavg()[0]:.1f}")
    ratios = [after / before for before, after in zip(quiet, busy, strict=True)]
    print(f"{mode}: reader p50 {statistics.median(quiet):.1f} ms quiet, "
          f"{statistics.median(busy):.1f} ms during the flood; ratio by round "
          f"{', '.join(f'{r:.2f}' for r in ratios)}, median {statistics.median(ratios):.2f}×; "
          f"{total} guesses in {args.rounds * args.seconds:.0f} s")  # fmt: skip
    for status, times in sorted(guesses.items()):
        label = LABELS.get(status, "other")
        print(f"  {status} {label}: {len(times)} guesses, "
              f"median {statistics.median(times):.1f} ms each")  # fmt: skip


if __name__ == "__main__":
    main()
