"""The demo content is consistent: every kind present in number, valid slugs and tags,
maths that converts, code in known languages, dates that make a living demo."""

import datetime as _dt
import re
from collections import Counter

from bookmarks.normalize import normalize_url
from content.demo import load

KINDS = ("posts", "notes", "learnings", "bookmarks", "tags")

#: Fenced code blocks must use one of these Pygments lexer names.
CODE_LANGUAGES = frozenset(
    {
        "python",
        "sql",
        "bash",
        "console",
        "javascript",
        "typescript",
        "go",
        "rust",
        "toml",
        "json",
        "yaml",
        "c",
        "diff",
        "text",
    }
)

#: Minimum number of entries per kind.
MINIMUM_COUNTS = {"posts": 6, "notes": 8, "learnings": 32, "bookmarks": 42, "tags": 18}

_TIME_RE = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_STATUSES = {"published", "draft"}


def _markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    def build(**math_options):
        md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
        md.use(footnote_plugin).use(tasklists_plugin).use(dollarmath_plugin, **math_options)
        return md

    return build(), build(allow_space=False, allow_digits=False)


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _analyse(md, text: str) -> dict:
    """Collect the facts about a Markdown body that the checks need."""
    tokens = list(_walk(md.parse(text)))
    types = Counter(t.type for t in tokens)
    return {
        "fences": [t.info.strip() for t in tokens if t.type in {"fence", "code_block"}],
        "math": [t.content for t in tokens if t.type.startswith("math_")],
        "h2": sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h2"),
        "table": types["table_open"] > 0,
        "footnote": types["footnote_ref"] > 0,
        "tasklist": any(
            t.type == "html_inline" and "task-list-item-checkbox" in t.content for t in tokens
        ),
        "stray_dollars": [t.content for t in tokens if t.type == "text" and "$" in t.content],
    }


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'’.-]*", text))


def _sentences(text: str) -> int:
    plain = re.sub(r"`[^`]*`", "code", text)
    plain = re.sub(r"\]\([^)]*\)", "]", plain)
    return len(re.findall(r"[.!?](?:[\"”’)]*)(?:\s|$)", plain.strip()))


def validate() -> list[str]:
    """Check the demo content; return a list of problems (empty if all is well)."""
    from latex2mathml.converter import convert

    problems: list[str] = []
    data = {kind: load(kind) for kind in KINDS}
    md, md_strict = _markdown()
    today = _dt.date.today()

    for kind, minimum in MINIMUM_COUNTS.items():
        if len(data[kind]) < minimum:
            problems.append(f"{kind}: {len(data[kind])} entries, expected at least {minimum}")

    # Tags.
    tag_names = Counter(t.get("name") for t in data["tags"])
    tag_slugs = Counter(t.get("slug") for t in data["tags"])
    for tag in data["tags"]:
        for field in ("name", "slug", "description"):
            if not tag.get(field):
                problems.append(f"tags: {tag!r} lacks {field}")
        if tag.get("slug") and not _SLUG_RE.match(tag["slug"]):
            problems.append(f"tags: bad slug {tag['slug']!r}")
    problems += [f"tags: duplicate name {n!r}" for n, c in tag_names.items() if c > 1]
    problems += [f"tags: duplicate slug {s!r}" for s, c in tag_slugs.items() if c > 1]

    usage: Counter[str] = Counter()
    for kind in ("posts", "notes", "learnings", "bookmarks"):
        slugs = Counter(e.get("slug") for e in data[kind])
        problems += [f"{kind}: duplicate slug {s!r}" for s, c in slugs.items() if c > 1]
        for entry in data[kind]:
            where = f"{kind}/{entry.get('slug')}"
            required = ["slug", "title", "tags", "days_ago", "time"]
            if kind != "bookmarks":
                required.append("body")
            for field in required:
                if field not in entry:
                    problems.append(f"{where}: missing {field}")
            if not _SLUG_RE.match(entry.get("slug", "")):
                problems.append(f"{where}: bad slug")
            if not isinstance(entry.get("days_ago"), int) or isinstance(
                entry.get("days_ago"), bool
            ):
                problems.append(f"{where}: days_ago must be an integer")
            if not _TIME_RE.match(str(entry.get("time", ""))):
                problems.append(f"{where}: time must be HH:MM")
            if entry.get("status", "published") not in _STATUSES:
                problems.append(f"{where}: unknown status {entry.get('status')!r}")
            if not entry.get("tags"):
                problems.append(f"{where}: no tags")
            for tag in entry.get("tags", []):
                usage[tag] += 1
                if tag not in tag_names:
                    problems.append(f"{where}: unknown tag {tag!r}")
            for field in ("url", "via_url"):
                if field in entry and not str(entry[field]).startswith("https://"):
                    problems.append(f"{where}: {field} is not https")
            for source in entry.get("sources", []):
                if not source.startswith("https://"):
                    problems.append(f"{where}: source {source!r} is not https")

            body = entry.get("body", "")
            facts = _analyse(md, body)
            entry["_facts"] = facts
            for lang in facts["fences"]:
                if lang not in CODE_LANGUAGES:
                    problems.append(f"{where}: code block language {lang!r} not allowed")
            for math in facts["math"]:
                try:
                    convert(math)
                except Exception as exc:
                    problems.append(f"{where}: latex2mathml cannot convert {math!r}: {exc}")
            if facts["math"] != _analyse(md_strict, body)["math"]:
                problems.append(
                    f"{where}: maths parses differently with allow_space/allow_digits off"
                )
            if facts["stray_dollars"]:
                problems.append(f"{where}: stray $ in prose: {facts['stray_dollars']!r}")
            for url in re.findall(r"\]\((\S+?)\)", body):
                if not url.startswith(("https://", "/", "#")):
                    problems.append(f"{where}: link {url!r} is not https")

    # Posts.
    posts = data["posts"]
    for post in posts:
        where = f"posts/{post.get('slug')}"
        summary = post.get("summary", "")
        if not summary or len(summary) > 300:
            problems.append(f"{where}: summary must be 1-300 characters (has {len(summary)})")
        if re.search(r"[`*\[\]<>#$]", summary):
            problems.append(f"{where}: summary should be plain text")
        if post["_facts"]["h2"] < 3:
            problems.append(f"{where}: fewer than three ## headings")
        words = _words(post.get("body", ""))
        if not 550 <= words <= 1400:
            problems.append(f"{where}: {words} words, expected about 600-1200")
    for feature, label in (("table", "a table"), ("math", "maths")):
        if sum(1 for p in posts if p["_facts"][feature]) < 2:
            problems.append(f"posts: fewer than two posts with {label}")
    for feature in ("footnote", "tasklist"):
        if not any(p["_facts"][feature] for p in posts):
            problems.append(f"posts: no post with a {feature}")
    languages = {lang for p in posts for lang in p["_facts"]["fences"]} - {"text", "console"}
    if len(languages) < 4:
        problems.append(f"posts: code in only {sorted(languages)}")
    if not any(p.get("status") == "draft" for p in posts):
        problems.append("posts: no draft")
    if not any(p["days_ago"] < 0 and p.get("status", "published") == "published" for p in posts):
        problems.append("posts: none scheduled in the future")
    live = [p for p in posts if p.get("status", "published") == "published" and p["days_ago"] >= 0]
    if len(live) < 6:
        problems.append(f"posts: only {len(live)} published posts visible today")

    # Notes.
    for note in data["notes"]:
        words = _words(note.get("body", ""))
        if not 150 <= words <= 400:
            problems.append(f"notes/{note.get('slug')}: {words} words, expected 150-400")
    if not any(n.get("status") == "draft" for n in data["notes"]):
        problems.append("notes: no draft")

    # Learnings.
    learnings = data["learnings"]
    for item in learnings:
        where = f"learnings/{item.get('slug')}"
        if not item.get("title", "").endswith("?"):
            problems.append(f"{where}: title should be a question")
        if not 1 <= len(item.get("sources", [])) <= 3:
            problems.append(f"{where}: needs 1-3 sources")
        if not (item["_facts"]["fences"] or item["_facts"]["math"] or "`" in item.get("body", "")):
            problems.append(f"{where}: no code or maths")
    days = Counter(item["days_ago"] for item in learnings)
    if len(days) < 12:
        problems.append(f"learnings: only {len(days)} distinct days")
    if days and min(days) > 1:
        problems.append("learnings: most recent day is older than yesterday")
    if days and not (1 in days.values() and max(days.values()) >= 3):
        problems.append("learnings: days should vary between 1 and 3-4 entries")
    for day in days:
        times = [i["time"] for i in learnings if i["days_ago"] == day]
        if len(times) != len(set(times)):
            problems.append(f"learnings: two entries share day {day} and time")
    with_math = sum(1 for i in learnings if i["_facts"]["math"])
    with_code = sum(1 for i in learnings if i["_facts"]["fences"])
    if with_math < 4 or with_code < len(learnings) // 2:
        problems.append(f"learnings: {with_code} with code, {with_math} with maths")

    # Bookmarks.
    bookmarks = data["bookmarks"]
    urls = Counter(normalize_url(b.get("url", "")) for b in bookmarks)
    problems += [f"bookmarks: duplicate url {u}" for u, c in urls.items() if c > 1]
    for bookmark in bookmarks:
        where = f"bookmarks/{bookmark.get('slug')}"
        if "url" not in bookmark:
            problems.append(f"{where}: missing url")
        body = bookmark.get("body", "").strip()
        if body and not 1 <= _sentences(body) <= 4:
            problems.append(f"{where}: commentary has {_sentences(body)} sentences, expected 1-4")
    weeks = {(today - _dt.timedelta(days=b["days_ago"])).isocalendar()[:2] for b in bookmarks}
    if len(weeks) < 6:
        problems.append(f"bookmarks: only {len(weeks)} ISO weeks")
    if not any(0 <= b["days_ago"] <= 6 for b in bookmarks):
        problems.append("bookmarks: none in the last six days")
    if sum(1 for b in bookmarks if b.get("via_url")) < 2:
        problems.append("bookmarks: fewer than two with a via_url")
    if sum(1 for b in bookmarks if not b.get("body", "").strip()) < 2:
        problems.append("bookmarks: fewer than two without commentary")

    # Tags in use.
    unused = sorted(set(tag_names) - set(usage))
    if unused:
        problems.append(f"tags: never used: {unused}")
    top = [name for name, _ in usage.most_common(3)]
    if set(top) != {"python", "postgresql", "django"}:
        problems.append(f"tags: most used are {top}, expected python, postgresql and django")

    return problems


def test_demo_content_is_consistent():
    assert validate() == []
