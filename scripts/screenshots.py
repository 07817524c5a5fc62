"""Screenshots of the main pages in Chromium, phone and desktop, light and dark.

    .tools/bin/uv run python scripts/screenshots.py http://127.0.0.1:8000

Uses the system Chromium (/usr/bin/chromium); Playwright never downloads a browser here.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PAGES = {"home": "/", "post": None, "learnings": "/learnings/", "bookmarks": "/bookmarks/"}
SIZES = {"375": (375, 812), "1280": (1280, 900)}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        page.goto(f"{base}/posts/")
        PAGES["post"] = page.locator(".item-list a").first.get_attribute("href")
        for scheme in ("light", "dark"):
            for size, (width, height) in SIZES.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, color_scheme=scheme
                )
                tab = context.new_page()
                for name, path in PAGES.items():
                    tab.goto(f"{base}{path}")
                    target = OUT / f"{name}-{size}-{scheme}.png"
                    tab.screenshot(path=target)
                    print(target.relative_to(OUT.parent.parent))
                context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
