"""Uncached pages of two revisions side by side: the same database, the same gunicorn settings,
wrk at one connection alternating between them, so a change is measured against the code
before it in the same minutes (on a shared machine, runs minutes apart differ by more than
most changes).

    .tools/bin/uv run python bench/compare_revisions.py --base de54bce [--items 10000]

The other revision is checked out with `git worktree` under .data/compare/ and run by this
project's interpreter, so both use the dependencies installed here. Both gunicorns listen on
loopback; the page cache is bypassed with a token, as in `http_bench.py`.
"""

from __future__ import annotations

import argparse
import functools
import os
import secrets
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from http_load import page_urls, prepare_database, server_env, wrk  # noqa: E402


def checkout(revision: str) -> Path:
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    path = ROOT / ".data" / "compare" / sha[:12]
    if not path.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), sha], cwd=ROOT, check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the revision to compare with (a commit)")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=3)
    args = parser.parse_args()

    token = secrets.token_urlsafe(16)
    env = {**os.environ, **server_env(args.items, token, cache="compare-cache")}
    os.environ.update(env)
    import django

    django.setup()
    prepare_database(args.items)  # migrated by this revision, which the other must read
    urls = page_urls()

    from deploy.serve import free_port, start_gunicorn, wait_for

    sides = {"base": checkout(args.base), "this": ROOT}
    servers = {}
    try:
        for side, tree in sides.items():
            port = free_port()
            servers[side] = (port, start_gunicorn(f"127.0.0.1:{port}", env, cwd=tree))
        for side, (port, process) in servers.items():
            live = f"http://127.0.0.1:{port}/livez"
            answers = functools.partial(urllib.request.urlopen, live, timeout=2)
            wait_for(answers, f"gunicorn ({side})", process=process)
        p50s: dict[str, dict[str, list[float]]] = {name: {"base": [], "this": []} for name in urls}
        for round_number in range(args.rounds):
            for name, path in urls.items():
                # Alternate which side goes first, so neither always follows the other.
                order = ["base", "this"] if round_number % 2 == 0 else ["this", "base"]
                for side in order:
                    address = f"http://127.0.0.1:{servers[side][0]}{path}"
                    report = wrk(address, 1, args.seconds, {"X-Cache-Bypass": token})
                    p50s[name][side].append(report["p50_ms"])
            print(f"round {round_number + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        for _, process in servers.values():
            process.terminate()
            process.wait()

    print(f"\nUncached p50 at c=1 (ms), {args.items:,} items, medians of {args.rounds} rounds; "
          f"base {args.base}, this {_head()}\n")  # fmt: skip
    print("| page | base | this | this / base (rounds) |")
    print("| --- | ---: | ---: | ---: |")
    for name, sides_p50 in p50s.items():
        ratios = [t / b for b, t in zip(sides_p50["base"], sides_p50["this"], strict=True)]
        print(
            f"| {name} | {statistics.median(sides_p50['base']):.1f} "
            f"| {statistics.median(sides_p50['this']):.1f} "
            f"| {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) |"
        )


def _head() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


if __name__ == "__main__":
    main()
