"""sitectl: write to the site from anywhere.

    sitectl bookmark add URL [--title T] [--note TEXT | --note-file F] [--tags a,b]
                             [--via URL] [--publish]
    sitectl learning add --question Q (--answer TEXT | --answer-file F) [--source URL]...
                         [--tags a,b] [--publish]
    sitectl push FILE.md...
    sitectl list KIND [--drafts] [--page N] [--limit N]

Every command takes --json. Configured by SITECTL_URL and SITECTL_TOKEN, or `url` and
`token` in ~/.config/sitectl/config.toml (SITECTL_CONFIG names another file). Exit status:
0 done, 1 the site refused or could not be reached, 2 wrong usage or configuration.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from sitectl.client import Client, Config, Failure, UsageError

KINDS = {"posts": "posts", "notes": "notes", "learnings": "learnings", "bookmarks": "bookmarks"}
KINDS |= {name.removesuffix("s"): name for name in list(KINDS)}


class Output:
    def __init__(self, as_json: bool, stdout: TextIO, stderr: TextIO) -> None:
        self.as_json, self.stdout, self.stderr = as_json, stdout, stderr

    def data(self, value: object) -> None:
        self.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")

    def line(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    def note(self, text: str) -> None:
        self.stderr.write(f"sitectl: {text}\n")


def read_text(value: str | None, path: str | None, stdin: TextIO) -> str | None:
    """Text given inline, or read from a file (`-` is standard input)."""
    if path is None:
        return value
    if path == "-":
        return stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from error


def tag_list(text: str | None) -> list[str] | None:
    return [t.strip() for t in text.split(",") if t.strip()] if text is not None else None


def saved(out: Output, status: int, item: dict, noun: str) -> None:
    for message in item.get("messages", []):
        out.note(message)
    if out.as_json:
        out.data(item)
        return
    action = "Created" if status == 201 else "Updated"
    out.line(f"{action} {noun} {item['id']} ({item['status']}): {item['title'] or '(untitled)'}")
    out.line(f"  {item['preview_url'] or item['page_url']}")


def bookmark_add(client: Client, args: argparse.Namespace, out: Output, stdin: TextIO) -> int:
    body: dict = {"url": args.url}
    note = read_text(args.note, args.note_file, stdin)
    fields = {"title": args.title, "body": note, "via_url": args.via, "tags": tag_list(args.tags)}
    body |= {key: value for key, value in fields.items() if value is not None}
    if args.publish:
        body["status"] = "published"
    status, item = client.request("POST", "bookmarks", body=body)
    saved(out, status, item, "bookmark")
    return 0


def learning_add(client: Client, args: argparse.Namespace, out: Output, stdin: TextIO) -> int:
    body = {
        "title": args.question,
        "body": read_text(args.answer, args.answer_file, stdin),
        "sources": args.source,
        "tags": tag_list(args.tags) or [],
        "status": "published" if args.publish else "draft",
    }
    status, item = client.request("POST", "learnings", body=body)
    saved(out, status, item, "learning")
    return 0


def push(client: Client, args: argparse.Namespace, out: Output, stdin: TextIO) -> int:
    """Each file is sent whole; the server reads its front matter as import_markdown does and
    creates or updates the item with its slug. One failed file does not stop the rest."""
    results, failed = [], 0
    for name in args.files:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            failed += 1
            results.append({"file": name, "error": f"cannot read: {error}"})
            out.note(f"{name}: cannot read: {error}")
            continue
        try:
            _, result = client.request("POST", "markdown", body={"path": name, "text": text})
        except Failure as error:
            if "cannot reach" in str(error) or "did not answer" in str(error):
                raise
            failed += 1
            results.append({"file": name, "error": str(error), "problem": error.problem})
            out.note(f"{name}: {error}")
            continue
        results.append({"file": name, **result})
        if not out.as_json:
            out.line(f"{result['action']} {result['kind']} {result['slug']} from {name} "
                     f"(kind by {result['rule']})")  # fmt: skip
    if out.as_json:
        out.data(results)
    return 1 if failed else 0


def list_items(client: Client, args: argparse.Namespace, out: Output, stdin: TextIO) -> int:
    params = {"page": args.page, "page_size": args.limit}
    if args.drafts:
        params["status"] = "draft"
    _, page = client.request("GET", KINDS[args.kind], params=params)
    if out.as_json:
        out.data(page)
        return 0
    if not page["items"]:
        out.line(f"No {'drafts' if args.drafts else args.kind}.")
        return 0
    for item in page["items"]:
        date = (item["published_at"] or item["updated_at"])[:10]
        out.line(f"{item['id']:>6}  {item['status']:<9}  {date}  {item['slug']}  {item['title']}")
    out.line(f"page {page['page']} of {page['pages']} ({page['count']} in all)")
    return 0


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    root = argparse.ArgumentParser(
        prog="sitectl",
        description="Write to the site through its API.",
        epilog="Configure with SITECTL_URL and SITECTL_TOKEN, or url and token in "
        "~/.config/sitectl/config.toml. Exit status: 0 done, 1 refused or unreachable, "
        "2 wrong usage or configuration.",
        parents=[common],
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    bookmark = commands.add_parser("bookmark", help="bookmarks", parents=[common])
    bookmark_actions = bookmark.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = bookmark_actions.add_parser(
        "add", help="save a link (saved again: updated)", parents=[common]
    )
    add.add_argument("url")
    add.add_argument("--title", help="default: fetched from the page")
    notes = add.add_mutually_exclusive_group()
    notes.add_argument("--note", help="commentary, in Markdown")
    notes.add_argument("--note-file", metavar="FILE", help="commentary from a file (- for stdin)")
    add.add_argument("--tags", help="comma-separated, e.g. python,postgresql")
    add.add_argument("--via", metavar="URL", help="where you found it")
    add.add_argument("--publish", action="store_true", help="publish now (default: a draft)")
    add.set_defaults(handler=bookmark_add)

    learning = commands.add_parser("learning", help="learnings", parents=[common])
    learning_actions = learning.add_subparsers(dest="action", required=True, metavar="ACTION")
    learn = learning_actions.add_parser("add", help="save what you learned", parents=[common])
    learn.add_argument("--question", required=True)
    answers = learn.add_mutually_exclusive_group(required=True)
    answers.add_argument("--answer", help="the answer, in Markdown")
    answers.add_argument(
        "--answer-file", metavar="FILE", help="the answer from a file (- for stdin)"
    )
    learn.add_argument("--source", action="append", default=[], metavar="URL",
                       help="where it comes from (repeat for more)")  # fmt: skip
    learn.add_argument("--tags", help="comma-separated")
    learn.add_argument("--publish", action="store_true", help="publish now (default: a draft)")
    learn.set_defaults(handler=learning_add)

    pushing = commands.add_parser(
        "push", help="create or update items from Markdown files", parents=[common]
    )
    pushing.add_argument("files", nargs="+", metavar="FILE.md")
    pushing.set_defaults(handler=push)

    listing = commands.add_parser("list", help="list the newest items of a kind", parents=[common])
    listing.add_argument("kind", choices=sorted(KINDS), metavar="KIND",
                         help="posts, notes, learnings or bookmarks")  # fmt: skip
    listing.add_argument("--drafts", action="store_true", help="only drafts")
    listing.add_argument("--page", type=int, default=1)
    listing.add_argument("--limit", type=int, default=20, help="items per page (at most 100)")
    listing.set_defaults(handler=list_items)
    return root


def main(
    argv: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    stdout, stderr, stdin = stdout or sys.stdout, stderr or sys.stderr, stdin or sys.stdin
    env = os.environ if env is None else env
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = parser().parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the help, or the usage and the error
        return int(exit_.code or 0)
    out = Output(getattr(args, "json", False), stdout, stderr)
    try:
        client = Client(Config.load(env))
        return args.handler(client, args, out, stdin)
    except UsageError as error:
        out.note(str(error))
        return 2
    except Failure as error:
        if out.as_json:
            out.data({"error": error.problem})
        out.note(str(error))
        return 1


def run() -> None:
    sys.exit(main())
