"""Realistic synthetic content for `generate_content`: technical titles, prose and code.

Deterministic for a given `random.Random`, so a seed reproduces the same site.
"""

import random

from django.utils.text import slugify

from content.markdown import render

TOPICS = [
    "PostgreSQL", "query planning", "connection pooling", "Django", "the ORM", "asyncio",
    "async generators", "Python packaging", "type hints", "Rust", "ownership", "lifetimes",
    "Go", "goroutines", "TypeScript", "generics", "caching", "cache invalidation", "tries",
    "B-trees", "hash maps", "bloom filters", "full-text search", "indexes", "vacuum",
    "replication", "consensus", "Raft", "idempotency", "retries", "backpressure",
    "observability", "tracing", "profiling", "flame graphs", "memory allocation",
    "garbage collection", "SQLite", "migrations", "feature flags", "code review",
    "technical writing", "testing", "property-based testing", "fuzzing", "benchmarks",
    "latency", "throughput", "queues", "rate limiting", "TLS", "HTTP caching", "Unicode",
    "regular expressions", "floating point", "probability", "linear algebra", "Bayes",
]  # fmt: skip
OPENERS = [
    "Understanding", "A practical guide to", "Notes on", "What I got wrong about",
    "Measuring", "Debugging", "Designing with", "The hidden cost of", "Rethinking",
    "How to test", "Lessons from", "Speeding up", "A closer look at", "Living with",
]  # fmt: skip
ENDINGS = [
    "in production", "at scale", "for small teams", "without the hype", "step by step",
    "from first principles", "in practice", "the hard way", "", "", "",
]  # fmt: skip
VERBS = [
    "reduces", "hides", "exposes", "changes", "depends on", "interacts with", "amplifies",
    "simplifies", "complicates", "bounds", "explains", "determines",
]  # fmt: skip
NOUNS = [
    "the tail latency", "the working set", "the write path", "every request", "the planner",
    "the cache hit ratio", "lock contention", "the error budget", "the hot loop",
    "the allocation rate", "cold starts", "the p99", "the schema", "the test suite",
]  # fmt: skip
CONNECTIVES = [
    "In practice,", "Surprisingly,", "As a rule,", "More importantly,", "On the other hand,",
    "In my experience,", "Put simply,", "Measured carefully,", "",
]  # fmt: skip
DOMAINS = [
    "postgresql.org", "docs.python.org", "djangoproject.com", "rust-lang.org", "go.dev",
    "developer.mozilla.org", "sqlite.org", "jvns.ca", "danluu.com", "brandur.org",
    "simonwillison.net", "martin.kleppmann.com", "lwn.net", "arxiv.org", "github.com",
    "blog.acolyer.org", "use-the-index-luke.com", "eli.thegreenplace.net",
]  # fmt: skip
CODE = [
    ("python", "def {name}(items):\n    seen = set()\n    for item in items:\n"
     "        if item not in seen:\n            seen.add(item)\n            yield item\n"),
    ("sql", "SELECT {name}.id, count(*)\nFROM {name}\nJOIN tags ON tags.id = {name}.tag_id\n"
     "WHERE {name}.published_at <= now()\nGROUP BY {name}.id\nORDER BY count(*) DESC\nLIMIT 10;\n"),
    ("rust", "fn {name}(values: &[u64]) -> u64 {{\n    values.iter().copied()"
     ".filter(|v| v % 2 == 0).sum()\n}}\n"),
    ("go", "func {name}(ctx context.Context, jobs <-chan Job) error {{\n"
     "\tfor job := range jobs {{\n\t\tif err := job.Run(ctx); err != nil {{\n"
     "\t\t\treturn err\n\t\t}}\n\t}}\n\treturn nil\n}}\n"),
    ("typescript", "export async function {name}(url: string): Promise<Response> {{\n"
     "  const res = await fetch(url, {{ headers: {{ accept: 'application/json' }} }});\n"
     "  if (!res.ok) throw new Error(`HTTP ${{res.status}}`);\n  return res;\n}}\n"),
    ("bash", "for f in *.log; do\n  grep -c '{name}' \"$f\"\ndone | sort -n | tail -5\n"),
    ("javascript", "const {name} = (xs) => xs.reduce((acc, x) => acc + x, 0);\n"),
]  # fmt: skip
MATHS = [
    "$O(n \\log n)$", "$p = 1 - (1 - 1/m)^{kn}$", "$\\sum_{i=1}^{n} i = n(n+1)/2$",
    "$\\lambda = 1/\\mu$", "$E[X] = \\sum_x x \\, P(X = x)$",
]  # fmt: skip


def tag_names(count: int) -> list[str]:
    base = [slugify(topic) for topic in TOPICS]
    names = list(dict.fromkeys(base))
    n = 1
    while len(names) < count:
        names.append(f"{base[n % len(base)]}-{n // len(base) + 1}")
        n += 1
    return names[:count]


def slug(text: str) -> str:
    return slugify(text)[:70]


def title(rng: random.Random) -> str:
    parts = [rng.choice(OPENERS), rng.choice(TOPICS), rng.choice(ENDINGS)]
    return " ".join(p for p in parts if p)


def sentence(rng: random.Random) -> str:
    words = [
        rng.choice(CONNECTIVES),
        rng.choice(TOPICS).capitalize() if rng.random() < 0.5 else rng.choice(TOPICS),
        rng.choice(VERBS),
        rng.choice(NOUNS),
    ]
    text = " ".join(w for w in words if w)
    if rng.random() < 0.3:
        text += f" when {rng.choice(NOUNS)} {rng.choice(VERBS)} {rng.choice(TOPICS)}"
    if rng.random() < 0.05:
        text += f", roughly {rng.choice(MATHS)}"
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def code_block(rng: random.Random) -> str:
    language, template = rng.choice(CODE)
    name = rng.choice(["dedupe", "collect", "orders", "events", "total", "worker", "fetch_all"])
    return f"```{language}\n{template.format(name=name)}```"


def prose(rng: random.Random, words: int, code_blocks: int, headings: bool) -> str:
    blocks, written = [], 0
    while written < words:
        text = paragraph(rng, rng.randint(3, 6))
        written += len(text.split())
        blocks.append(text)
    for _ in range(code_blocks):
        blocks.insert(rng.randrange(1, len(blocks) + 1), code_block(rng))
    if headings:
        for index in range(len(blocks) // 5, len(blocks), max(1, len(blocks) // 4)):
            blocks.insert(index, f"## {rng.choice(OPENERS)} {rng.choice(TOPICS)}")
    return "\n\n".join(blocks)


def posts(rng: random.Random, key: str) -> dict:
    name = title(rng)
    return {
        "title": name,
        "slug": f"{slug(name)}-{key}",
        "summary": paragraph(rng, 2)[:300],
        "body": prose(rng, 1500, rng.randint(2, 4), headings=True),
    }


def notes(rng: random.Random, key: str) -> dict:
    name = title(rng)
    return {"title": name, "slug": f"{slug(name)}-{key}", "body": prose(rng, 300, 0, False)}


def learnings(rng: random.Random, key: str) -> dict:
    topic = rng.choice(TOPICS)
    question = f"How does {topic} {rng.choice(VERBS)} {rng.choice(NOUNS)}?"
    return {
        "title": question,
        "slug": f"{slug(question)}-{key}",
        "body": prose(rng, 120, 1, False),
        "sources": [f"https://{rng.choice(DOMAINS)}/{slug(topic)}/{key}"],
    }


def bookmarks(rng: random.Random, key: str) -> dict:
    name = title(rng)
    domain = rng.choice(DOMAINS)
    return {
        "title": name,
        "slug": f"{slug(name)}-{key}",
        "url": f"https://{domain}/{slug(name)}-{key}",
        "body": paragraph(rng, rng.randint(1, 3)) if rng.random() < 0.85 else "",
    }


def rendered_fields(body: str) -> tuple:
    """What save() would store, for bulk inserts; runs in worker processes (no Django setup)."""
    rendered = render(body)
    toc = [{"level": h.level, "text": h.text, "id": h.id} for h in rendered.toc]
    return (
        rendered.html,
        toc,
        rendered.excerpt,
        rendered.reading_time,
        rendered.word_count,
        list(rendered.warnings),
    )
