"""Screenshots of the main pages in Chromium, phone and desktop, light and dark.

    .tools/bin/uv run python scripts/screenshots.py http://127.0.0.1:8000 [--only site|admin]

Run it against the demo site (`make run`). It writes docs/screenshots/<page>-<width>-<scheme>.png
for the home page, a post with code and maths (scrolled to its first formula), the learnings,
the latest week of bookmarks and a search; and for the admin's dashboard and a post's change
form, signing in with the login `make run` prints and keeps in .data/admin-login.txt (or
--user / --password). Uses the system Chromium (/usr/bin/chromium); Playwright never downloads
a browser here.
"""

import argparse
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
POST = "/posts/what-a-btree-index-costs/"  # demo content: code, a table and formulas
PAGES = {
    "home": "/",
    "post": POST,
    "learnings": "/learnings/",
    "week": None,  # the latest week of bookmarks
    "search": "/search/?q=postgresql+index",
}
ADMIN_PAGES = {"admin-dashboard": "/admin/", "admin-post": None}
SIZES = {"375": (375, 812), "1280": (1280, 900)}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def sign_in(tab: Page, base: str, user: str, password: str) -> None:
    tab.goto(f"{base}/admin/login/")
    tab.fill("#id_username", user)
    tab.fill("#id_password", password)
    with tab.expect_navigation():
        tab.click("input[type=submit]")


def shoot(tab: Page, base: str, name: str, path: str, size: str, scheme: str) -> None:
    tab.goto(f"{base}{path}")
    if name == "post":
        # The section holding the first formula, its heading at the top of the screen.
        tab.evaluate(
            """(() => {
                let el = document.querySelector('.math-display');
                while (el && !/^H[23]$/.test(el.tagName)) el = el.previousElementSibling;
                (el || document.querySelector('.prose')).scrollIntoView();
            })()"""
        )
    if name == "admin-post":
        # The editor and its live preview, rendered, under the title.
        tab.locator(".markdownx-preview .codeblock").first.wait_for(timeout=15_000)
        tab.locator(".field-title").evaluate("row => row.scrollIntoView()")
    target = OUT / f"{name}-{size}-{scheme}.png"
    tab.screenshot(path=target)
    print(target.relative_to(ROOT))


def main(base: str, only: str | None, user: str, password: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    pages = {} if only == "admin" else dict(PAGES)
    admin = {} if only == "site" else dict(ADMIN_PAGES)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        if pages:
            page.goto(f"{base}/bookmarks/")
            pages["week"] = page.locator("#weeks a").first.get_attribute("href")
        if admin:
            sign_in(page, base, user, password)
            page.goto(f"{base}/admin/posts/post/")
            admin["admin-post"] = page.locator("#result_list .field-title a").first.get_attribute(
                "href"
            )
        for scheme in ("light", "dark"):
            for size, (width, height) in SIZES.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, color_scheme=scheme
                )
                tab = context.new_page()
                for name, path in pages.items():
                    shoot(tab, base, name, path, size, scheme)
                if admin:
                    sign_in(tab, base, user, password)
                for name, path in admin.items():
                    shoot(tab, base, name, path, size, scheme)
                context.close()
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--only", choices=["site", "admin"])
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()
    login = ROOT / ".data" / "admin-login.txt"
    saved = login.read_text().split()[:2] if login.exists() else ["admin", ""]
    main(args.base.rstrip("/"), args.only, args.user or saved[0], args.password or saved[1])
