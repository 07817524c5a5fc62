"""In Chromium, under a strict Content-Security-Policy on every answer of this site: the
bookmarklet, run on another page, opens the bookmark form filled in; the API's docs render.

The CSP is added here to the site's responses (the hardening issue adds it for real), and
every violation Chromium reports is collected.
"""

import json
import os
import shutil

import pytest

from bookmarks.admin import BOOKMARKLET

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@pytest.fixture
def browser(live_server, django_user_model, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    from playwright.sync_api import sync_playwright

    django_user_model.objects.create_superuser("editor", "e@example.com", "a-long-password")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1024, "height": 800})
        context.violations = []

        def strict(route):
            response = route.fetch(max_redirects=0)
            headers = {**response.headers, "content-security-policy": STRICT_CSP}
            route.fulfill(response=response, headers=headers)

        context.route(f"{live_server.url}/**", strict)
        context.on(
            "console",
            lambda m: context.violations.append(m.text) if "Content Security" in m.text else None,
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "a-long-password")
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        yield context
        browser.close()


def test_the_bookmarklet_opens_a_prefilled_form(browser, live_server, page_server):
    page = browser.new_page()
    page.goto(f"{live_server.url}/admin/bookmarklet/")
    code = page.locator(".bookmarklet-link a").get_attribute("href")
    assert code == BOOKMARKLET.format(add=f"{live_server.url}/admin/bookmarks/bookmark/add/")

    # Another site's page, with some of its text selected, as a reader would have it.
    other = browser.new_page()
    other.goto(f"{page_server.url}/og")
    other.evaluate(
        "document.body.innerHTML = '<p id=quote>Indexes are sorted copies.</p>';"
        "getSelection().selectAllChildren(document.getElementById('quote'))"
    )
    # Clicking a bookmark runs its javascript: URL in the visited page, as this does.
    with other.expect_popup() as popup_info:
        other.evaluate(f"location.href = {json.dumps(code)}")
    form = popup_info.value
    form.wait_for_load_state()
    assert form.url.startswith(f"{live_server.url}/admin/bookmarks/bookmark/add/?")
    assert form.input_value("#id_url") == f"{page_server.url}/og"
    assert form.input_value("#id_title") == "Not this one"  # the visited page's <title>
    assert form.input_value("#id_body") == "> Indexes are sorted copies."
    # The author saves it as it is.
    form.click("input[name=_save]")
    form.wait_for_url("**/admin/bookmarks/bookmark/")
    from bookmarks.models import Bookmark

    bookmark = Bookmark.objects.get()
    assert bookmark.title == "Not this one" and bookmark.body == "> Indexes are sorted copies."
    assert browser.violations == []


def test_the_api_docs_render_from_static_files(browser, live_server):
    page = browser.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/api/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=15_000)
    assert "API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-tag-section").count() >= 5
    assert all(url.startswith(live_server.url) for url in requests)  # no CDN
    assert browser.violations == []
    # The policy is really in force: an inline script on the page is refused, and reported.
    with pytest.raises(Exception, match=r"(?i)content security policy|refused"):
        page.add_script_tag(content="window.inlineRan = true")
    assert page.evaluate("window.inlineRan === undefined")
    assert any("script" in v.lower() for v in browser.violations)
