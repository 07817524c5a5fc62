"""Extract the examples of a CommonMark-style spec.txt into the JSON vendored beside it.

    python tests/data/extract_spec_examples.py commonmark SPEC.txt > tests/data/commonmark-spec.json
    python tests/data/extract_spec_examples.py gfm SPEC.txt > tests/data/gfm-spec.json

The reading of spec.txt is that of the specs' own test runner (`test/spec_tests.py`
`get_tests()` in commonmark-spec and in cmark-gfm): examples are numbered as the published
specs number them, "→" stands for a tab. For GFM only the examples of its extensions are
kept (tables, task lists, strikethrough, autolinks, tagfilter): the rest of the GFM spec is
CommonMark 0.29, which the CommonMark 0.31.2 examples supersede. See README.md here.
"""

import json
import re
import sys

SOURCES = {
    "commonmark": {
        "spec": "CommonMark Spec 0.31.2",
        "source": "spec.txt of the npm package commonmark-spec 0.31.2 "
        "(https://github.com/commonmark/commonmark-spec, tag 0.31.2)",
        "licence": "CC-BY-SA-4.0 (https://creativecommons.org/licenses/by-sa/4.0/), "
        "Copyright (C) 2014-16 John MacFarlane",
    },
    "gfm": {
        "spec": "GitHub Flavored Markdown Spec 0.29-gfm (2019-04-06), extension examples",
        "source": "test/spec.txt of https://github.com/github/cmark-gfm "
        "(commit 85d895289c5ab67f988ca659493a64abb5fec7b4)",
        "licence": "CC-BY-SA-4.0 (https://creativecommons.org/licenses/by-sa/4.0/), "
        "Copyright (C) 2014-16 John MacFarlane, GitHub extensions Copyright GitHub, Inc.",
    },
}
_FENCE = "`" * 32
_HEADING = re.compile("#+ ")


def examples(lines: list[str]) -> list[dict]:
    found: list[dict] = []
    number = start = 0
    markdown: list[str] = []
    html: list[str] = []
    state = 0  # 0 prose, 1 the example's Markdown, 2 its HTML
    extensions: list[str] = []
    section = ""
    for line_number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith(_FENCE + " example"):
            state = 1
            extensions = stripped[len(_FENCE + " example") :].split()
        elif stripped == _FENCE:
            state = 0
            number += 1
            found.append(
                {
                    "example": number,
                    "section": section,
                    "extensions": extensions,
                    "start_line": start,
                    "end_line": line_number,
                    "markdown": "".join(markdown).replace("→", "\t"),
                    "html": "".join(html).replace("→", "\t"),
                }
            )
            start, markdown, html = 0, [], []
        elif stripped == "." and state:
            state = 2
        elif state == 1:
            start = start or line_number - 1
            markdown.append(line)
        elif state == 2:
            html.append(line)
        elif _HEADING.match(line):
            section = _HEADING.sub("", line).strip()
    return found


def main() -> None:
    kind, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8", newline="\n") as spec:
        found = examples(spec.readlines())
    if kind == "gfm":
        # "disabled" marks the task-list examples, which cmark-gfm's runner skips.
        for example in found:
            example["extensions"] = [
                "tasklist" if name == "disabled" else name for name in example["extensions"]
            ]
        found = [example for example in found if example["extensions"]]
    json.dump({**SOURCES[kind], "examples": found}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
