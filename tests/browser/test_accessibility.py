"""axe-core on every page type, at phone and desktop width, in light and dark: no violation.

One Chromium, one tab per width and scheme, reused for every page. The rule set is WCAG 2.0,
2.1 and 2.2 at levels A and AA plus axe's best practices (heading order, unique landmarks,
one h1 …), the rules a reader with a screen reader or a keyboard notices first.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCHEMES, WIDTHS

# django_db: the demo site lives in the test database (see conftest.demo_site).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def describe(page_name: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(
            f"{page_name}: {violation['id']} ({violation['impact']}) {violation['help']} "
            f"on {len(targets)} node(s): {', '.join(targets[:3])}"
        )
    return lines


CONFIGURATIONS = [
    *((width, scheme, True) for width in WIDTHS for scheme in SCHEMES),
    # Without the site's script, code and formulas that scroll on a phone are tab stops all
    # the same. (The script is blocked rather than JavaScript turned off: axe needs it.)
    (375, "light", False),
]


@pytest.mark.parametrize(("width", "scheme", "javascript"), CONFIGURATIONS)
def test_no_axe_violations(chromium, demo_site, width, scheme, javascript):
    from axe_playwright_python.sync_playwright import Axe

    base, pages = demo_site
    context = chromium.new_context(
        viewport={"width": width, "height": WIDTHS[width]}, color_scheme=scheme
    )
    if not javascript:
        context.route("**/js/site*.js", lambda route: route.abort())
    tab = context.new_page()
    axe = Axe()
    problems: list[str] = []
    try:
        for page in pages:
            response = tab.goto(base + page.path)
            assert response is not None and response.status == page.status, page
            results = axe.run(tab, options=AXE_OPTIONS).response
            problems += describe(page.name, results["violations"])
    finally:
        context.close()
    where = f"{width} px, {scheme}{'' if javascript else ', without the site script'}"
    assert not problems, f"{len(problems)} axe violations at {where}:\n" + "\n".join(problems)
