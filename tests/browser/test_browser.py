"""In Chromium: the admin editor's live preview, at phone width.

Uses the system Chromium (`make browser-deps` installs it); Playwright never downloads one.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture
def browser_page(live_server, django_user_model, monkeypatch):
    # Playwright's sync API runs an event loop; the ORM calls in this test are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    from playwright.sync_api import sync_playwright

    django_user_model.objects.create_superuser("editor", "e@example.com", "a-long-password")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 812})
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "a-long-password")
        page.click("input[type=submit]")
        yield page
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_live_preview_renders_the_published_html_at_375px(browser_page, live_server):
    page = browser_page
    # The admin index fits a phone too.
    assert page.locator("#site-name").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(f"{live_server.url}/admin/posts/post/add/")
    page.fill("#id_title", "From the browser")
    page.fill(
        "#id_body", "## Hello\n\n```python\nprint('hi')\n```\n\n$x^2$\n\n```klingon\nqapla\n```"
    )
    preview = page.locator(".markdownx-preview")
    preview.locator(".codeblock .nb").wait_for(timeout=10_000)
    assert preview.locator("h2#hello").count() == 1
    assert preview.locator("math").count() == 1
    assert "klingon" in preview.locator(".render-warnings").inner_text()
    # Usable on a phone: the editor does not push the page sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    page.fill("#id_summary", "Written in a real browser.")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/posts/post/")
    from posts.models import Post

    post = Post.objects.get(title="From the browser")
    assert '<span class="nb">print</span>' in post.body_html
