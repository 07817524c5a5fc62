"""Screenshots of the main pages in Chromium, phone and desktop, light and dark.

    .tools/bin/uv run python scripts/screenshots.py http://127.0.0.1:8000

Run it against the demo site (`make run`). It writes docs/screenshots/<page>-<width>-<scheme>.png
for the home page, a post with code and maths (scrolled to its first formula), the learnings,
the latest week of bookmarks and a search. Uses the system Chromium (/usr/bin/chromium);
Playwright never downloads a browser here.
"""

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
POST = "/posts/what-a-btree-index-costs/"  # demo content: code, a table and formulas
SIZES = {"375": (375, 812), "1280": (1280, 900)}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def latest_week(page: Page, base: str) -> str:
    page.goto(f"{base}/bookmarks/")
    return page.locator("#weeks a").first.get_attribute("href")


def to_first_formula(tab: Page) -> None:
    # The section holding the first formula, its heading at the top of the screen.
    tab.evaluate(
        """(() => {
            let el = document.querySelector('.math-display');
            while (el && !/^H[23]$/.test(el.tagName)) el = el.previousElementSibling;
            (el || document.querySelector('.prose')).scrollIntoView();
        })()"""
    )


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        pages = {
            "home": "/",
            "post": POST,
            "learnings": "/learnings/",
            "week": latest_week(browser.new_page(), base),
            "search": "/search/?q=postgresql+index",
        }
        for scheme in ("light", "dark"):
            for size, (width, height) in SIZES.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, color_scheme=scheme
                )
                tab = context.new_page()
                for name, path in pages.items():
                    tab.goto(f"{base}{path}")
                    if name == "post":
                        to_first_formula(tab)
                    target = OUT / f"{name}-{size}-{scheme}.png"
                    tab.screenshot(path=target)
                    print(target.relative_to(OUT.parent.parent))
                context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
