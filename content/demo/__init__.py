"""Demo content shown on a fresh install.

Each kind of content lives in a TOML file next to this module, named after the kind's app
(``posts.toml``, …), with ``tags.toml`` for the tags. Dates are relative (``days_ago``,
0 = today, negative = in the future, plus a local ``time`` "HH:MM") so the demo always looks
recent. tests/content/test_demo_content.py checks that the files hold a convincing site.
"""

import tomllib
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent


def load(name: str) -> list[dict]:
    """The entries of ``<name>.toml`` (an array of tables named after the file: ``[[posts]]``);
    none when there is no such file."""
    path = DEMO_DIR / f"{name}.toml"
    if not path.exists():
        return []
    with path.open("rb") as fh:
        return list(tomllib.load(fh).get(name, []))
