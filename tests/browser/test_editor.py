"""In Chromium, at 375 and 1280 px: the change form fits and shows its whole preview, Ctrl+S
saves, and text typed in a tab closed by mistake is offered back.

Uses the system Chromium (`make browser-deps` installs it); Playwright never downloads one.
"""

import os
import shutil
from contextlib import contextmanager

import pytest

from content.models import Status
from posts.models import Post
from tests.factories import make_bookmark, make_post

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PASSWORD = "a-long-password"
WIDTHS = [375, 1280]
# What makes a preview overflow: a long code line, a wide table, a long word, display maths.
BODY = (
    "## Wide things\n\n"
    "```python\n" + "x = " + " + ".join(f"value_{n}" for n in range(40)) + "\n```\n\n"
    "| " + " | ".join(f"column {n}" for n in range(14)) + " |\n"
    "|" + "---|" * 14 + "\n"
    "| " + " | ".join(str(n) for n in range(14)) + " |\n\n"
    "A word without spaces: " + "supercalifragilistic" * 6 + ".\n\n"
    "$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$\n\n" + "Plain prose goes on. " * 60 + "\n"
)


class Editor:
    """A Chromium with one signed-in context per call to `open()`."""

    def __init__(self, browser, base: str):
        self.browser, self.base = browser, base

    @contextmanager
    def context(self, width: int):
        context = self.browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{self.base}/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("input[type=submit]")
        try:
            yield context, page
        finally:
            context.close()

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.fixture
def editor(live_server, django_user_model, monkeypatch):
    # Playwright's sync API runs an event loop; the ORM calls in these tests are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    from playwright.sync_api import sync_playwright

    django_user_model.objects.create_superuser("editor", "e@example.com", PASSWORD)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield Editor(browser, live_server.url)
        browser.close()


def change_path(post: Post) -> str:
    return f"/admin/posts/post/{post.pk}/change/"


def box(page, selector: str) -> dict:
    return page.locator(selector).evaluate(
        """element => {
            const r = element.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                    width: r.width, height: r.height, scrollWidth: element.scrollWidth,
                    clientWidth: element.clientWidth,
                    overflowY: getComputedStyle(element).overflowY};
        }"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_change_form_fits_and_shows_the_whole_preview(editor, width):
    post = make_post(body=BODY)
    with editor.context(width) as (_, page):
        page.goto(editor.url(change_path(post)))
        preview = page.locator(".markdownx-preview")
        preview.locator(".codeblock").wait_for(timeout=15_000)
        preview.locator("math").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        preview.scroll_into_view_if_needed()
        shown, source = box(page, ".markdownx-preview"), box(page, "#id_body")
        # Within the page, and nothing inside it wider than itself (code and tables scroll
        # in their own boxes).
        assert shown["left"] >= 0 and shown["right"] <= width, shown
        assert shown["scrollWidth"] <= shown["clientWidth"] + 1, shown
        # Not hidden by an ancestor that clips (Django's form rows do): what is at the
        # preview's left and right edges is the preview.
        for x in (shown["left"] + 3, shown["right"] - 3):
            y = max(shown["top"], 0) + 5
            inside = page.evaluate(
                "([x, y]) => document.querySelector('.markdownx-preview')"
                ".contains(document.elementFromPoint(x, y))",
                [x, y],
            )
            assert inside, (x, y)
        if width >= 1024:
            # Beside the source, as tall, scrolling on its own so all of it can be reached.
            assert shown["left"] >= source["right"]
            assert abs(shown["top"] - source["top"]) < 2
            assert abs(shown["height"] - source["height"]) < 2
            assert shown["overflowY"] == "auto"
            assert shown["bottom"] - shown["top"] <= 900
        else:
            # Below the source, in the page's flow: all of it by scrolling the page.
            assert shown["top"] >= source["bottom"]
            assert shown["overflowY"] == "visible"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_dashboard_fits(editor, width):
    make_post(status=Status.DRAFT, title="A draft with a rather long title " * 3)
    make_bookmark(url="https://example.com/" + "long-path-segment/" * 12)
    with editor.context(width) as (_, page):
        page.goto(editor.url("/admin/"))
        assert page.locator(".dash-drafts li").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_ctrl_s_saves_and_continues_editing(editor, width):
    post = make_post(body="First version.")
    with editor.context(width) as (_, page):
        page.goto(editor.url(change_path(post)))
        page.fill("#id_body", "Second version, saved from the keyboard.")
        with page.expect_navigation():
            page.keyboard.press("Control+s")
        assert page.url == editor.url(change_path(post))
        assert "was changed successfully" in page.locator(".messagelist").inner_text()
        post.refresh_from_db()
        assert post.body == "Second version, saved from the keyboard."
        # ⌘S on a Mac.
        page.fill("#id_body", "Third version.")
        with page.expect_navigation():
            page.keyboard.press("Meta+s")
        post.refresh_from_db()
        assert post.body == "Third version."
        assert page.locator("#id_body").input_value() == "Third version."


def kept(page) -> list[str]:
    """The forms whose unsaved text this browser keeps (the admin keeps its own settings)."""
    return page.evaluate("Object.keys(localStorage).filter(key => key.startsWith('unsaved-text:'))")


def type_and_close(context, url: str, **fields) -> None:
    page = context.new_page()
    page.goto(url)
    for selector, text in fields.items():
        field = page.locator(f"#id_{selector}")
        field.press("Control+End")
        field.press_sequentially(text)
    page.wait_for_function("localStorage.getItem('unsaved-text:' + location.pathname) !== null")
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_closed_tab_offers_its_unsaved_text_back(editor, width):
    post = make_post(title="Saved title", body="Saved body.")
    url = editor.url(change_path(post))
    with editor.context(width) as (context, first):
        first.close()
        type_and_close(context, url, body=" Typed, never saved.", title=" (edited)")
        page = context.new_page()
        page.goto(url)
        offer = page.locator(".unsaved-offer")
        offer.wait_for()
        assert "never saved" in offer.inner_text()
        assert page.locator("#id_body").input_value() == "Saved body."
        page.get_by_role("button", name="Restore the unsaved text").click()
        assert page.locator(".unsaved-offer").count() == 0
        assert page.locator("#id_body").input_value() == "Saved body. Typed, never saved."
        assert page.locator("#id_title").input_value() == "Saved title (edited)"
        # The live preview follows the restored text.
        page.locator(".markdownx-preview", has_text="Typed, never saved.").wait_for()
        with page.expect_navigation():
            page.keyboard.press("Control+s")
        post.refresh_from_db()
        assert post.body == "Saved body. Typed, never saved."
        # Saved: nothing is kept or offered any more.
        assert kept(page) == []
        page.goto(url)
        page.locator("#id_body").wait_for()
        assert page.locator(".unsaved-offer").count() == 0


def test_unsaved_text_can_be_discarded_and_a_new_items_text_is_kept_too(editor):
    post = make_post(body="Saved body.")
    with editor.context(1280) as (context, page):
        type_and_close(context, editor.url(change_path(post)), body=" Not wanted.")
        page.goto(editor.url(change_path(post)))
        page.get_by_role("button", name="Discard it").click()
        assert page.locator("#id_body").input_value() == "Saved body."
        assert kept(page) == []

        add = editor.url("/admin/posts/post/add/")
        type_and_close(context, add, title="A new post", body="Its first words.")
        page.goto(add)
        page.get_by_role("button", name="Restore the unsaved text").click()
        page.fill("#id_summary", "Written, lost, found.")
        with page.expect_navigation():
            page.keyboard.press("Control+s")
        assert Post.objects.get(title="A new post").body == "Its first words."
        page.goto(add)
        page.locator("#id_title").wait_for()
        assert page.locator(".unsaved-offer").count() == 0
        assert kept(page) == []


def test_a_form_that_comes_back_with_errors_keeps_its_text(editor):
    post = make_post(body="Saved body.")
    with editor.context(1280) as (context, page):
        page.goto(editor.url(change_path(post)))
        page.fill("#id_title", "")
        page.fill("#id_body", "Text that must not be lost.")
        with page.expect_navigation():
            page.keyboard.press("Control+s")
        assert page.locator(".errornote").count() == 1
        page.close()
        page = context.new_page()
        page.goto(editor.url(change_path(post)))
        page.locator(".unsaved-offer").wait_for()
        page.get_by_role("button", name="Restore the unsaved text").click()
        assert page.locator("#id_body").input_value() == "Text that must not be lost."


def test_a_new_bookmark_starts_at_its_url(editor):
    with editor.context(375) as (_, page):
        page.goto(editor.url("/admin/bookmarks/bookmark/add/"))
        page.wait_for_function("document.activeElement && document.activeElement.id === 'id_url'")
        page.keyboard.type("https://example.com/typed")
        assert page.locator("#id_url").input_value() == "https://example.com/typed"
