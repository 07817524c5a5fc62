"""Time `content.markdown.render` on a realistic technical post.

    .tools/bin/uv run python bench/markdown_bench.py [--runs 300] [--cold] [--file PATH]

Warms up (so the parser, lexers, highlighted blocks and MathML are cached, as in a running
site whose author is editing a post), renders the document `--runs` times and prints the
median and 95th percentile in milliseconds. `--cold` empties the highlight and MathML caches
before every run: the cost of a post seen for the first time.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from content import markdown  # noqa: E402  (needs the path above)
from content.markdown import code, maths  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="clear caches before each run")
    parser.add_argument("--file", type=Path, default=ROOT / "bench" / "data" / "technical.md")
    args = parser.parse_args()

    source = args.file.read_text(encoding="utf-8")
    for _ in range(args.warmup):
        rendered = markdown.render(source)
    timings = []
    for _ in range(max(args.runs, 1)):
        if args.cold:
            code.highlight_cached.cache_clear()
            maths.mathml.cache_clear()
        started = time.perf_counter()
        markdown.render(source)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    print(
        f"{args.file.name}: {len(source):,} chars, {rendered.word_count} words, "
        f"{len(rendered.warnings)} warnings"
    )
    print(
        f"{'cold' if args.cold else 'warm'} runs={len(timings)} "
        f"median={statistics.median(timings):.2f} ms "
        f"p95={p95:.2f} ms min={timings[0]:.2f} ms"
    )


if __name__ == "__main__":
    main()
