"""In Chromium: the admin editor's live preview, at phone width.

Uses the system Chromium (`make browser-deps` installs it); Playwright never downloads one.
"""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page(chromium, live_server, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.com", "a-long-password")
    context = chromium.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-password")
    page.click("input[type=submit]")
    yield page
    context.close()


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
