"""In Chromium: the admin editor's live preview and uploads, at phone width, under the site's
Content-Security-Policy, with every violation the browser reports collected and asserted on.

Uses the system Chromium (`make browser-deps` installs it); Playwright never downloads one.
"""

import base64
import io
import os
import shutil

import pytest
from PIL import Image

from tests.browser.conftest import RECORD_VIOLATIONS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
DROP_FILE = """([name, type, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type }));
  document.querySelector("#id_body").dispatchEvent(
    new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
}"""


def violations(page, console: list[str]) -> list[str]:
    reported = page.evaluate("window.cspViolations")
    return reported + [line for line in console if "Content Security Policy" in line]


@pytest.fixture
def browser_page(live_server, django_user_model, monkeypatch):
    # Playwright's sync API runs an event loop; the ORM calls in this test are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    from playwright.sync_api import sync_playwright

    django_user_model.objects.create_superuser("editor", "e@example.com", "a-long-password")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 812})
        page.add_init_script(RECORD_VIOLATIONS)
        page.console_lines = []
        page.on("console", lambda message: page.console_lines.append(message.text))
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
    response = page.request.get(f"{live_server.url}/admin/posts/post/add/")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert violations(page, page.console_lines) == []
    # The watch works: a style attribute, which the policy forbids, is reported.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    # Functions, not expressions: Playwright evals expressions, which the policy forbids.
    page.wait_for_function("() => window.cspViolations.length > 0")
    assert any(v.startswith("style-src") for v in violations(page, page.console_lines))
    # Usable on a phone: the editor does not push the page sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    page.fill("#id_summary", "Written in a real browser.")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/posts/post/")
    from posts.models import Post

    post = Post.objects.get(title="From the browser")
    assert '<span class="nb">print</span>' in post.body_html


def png(size=(24, 16)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.django_db(transaction=True)
def test_uploads_show_the_image_or_the_reason_in_the_editor(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/admin/notes/note/add/")
    page.fill("#id_body", "Before.")
    message = page.locator(".upload-message")
    assert message.is_hidden()

    # Refused: the server's reason shows beside the editor, and the text is left as it was.
    bogus = base64.b64encode(b"<svg onload=alert(1)>").decode()
    page.evaluate(DROP_FILE, ["evil.png", "image/png", bogus])
    message.wait_for(state="visible", timeout=10_000)
    assert message.inner_text() == "The file is not a readable image."
    assert message.get_attribute("role") == "alert"
    page.wait_for_timeout(200)
    assert page.input_value("#id_body") == "Before."

    # Accepted: markdownx inserts the image, the preview shows it from /media/, the message goes.
    page.evaluate(DROP_FILE, ["chart.png", "image/png", png()])
    page.wait_for_function("() => document.querySelector('#id_body').value.includes('/media/')")
    assert message.is_hidden()
    image = page.locator(".markdownx-preview img")
    image.wait_for(timeout=10_000)
    assert image.evaluate("img => img.complete && img.naturalWidth") == 24
    assert violations(page, page.console_lines) == []
