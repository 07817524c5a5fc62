"""The site's real Content-Security-Policy in Chromium: every page type a reader can open, every
admin page the author uses (the editor with its live preview included), the API's docs and
the bookmarklet page, with each violation the browser reports collected: there must be none.

Public pages carry one policy with no nonce, the same on every response: the page cache
(issue 11) stores them once for every reader, so nothing in them may change per request.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import RECORD_VIOLATIONS

# django_db: the demo site lives in the test database (see conftest.demo_site).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "csp-author-password-long"


@pytest.fixture(scope="session")
def author(demo_site, django_db_blocker) -> str:
    """A superuser in the demo site's database (emptied with it when the session ends)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import MD5PasswordHasher

    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser("csp-author", "csp@example.com")
        # Hashed as the tests' settings (tests/conftest.py) check it, which this session-wide
        # fixture runs before.
        user.password = MD5PasswordHasher().encode(PASSWORD, MD5PasswordHasher().salt())
        user.save(update_fields=["password"])
    return "csp-author"


@pytest.fixture
def tab(chromium):
    """A tab that records what the policy blocked, from events and from the console."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_lines = []
    page.on("console", lambda message: page.console_lines.append(message.text))
    yield page
    context.close()


def violations(page) -> list[str]:
    reported = page.evaluate("window.cspViolations || []")
    return reported + [line for line in page.console_lines if "Content Security" in line]


def visit(page, url: str, status: int = 200) -> str:
    """Open `url`; return the policy it was served with."""
    response = page.goto(url)
    assert response is not None and response.status == status, url
    page.wait_for_load_state("load")
    return response.headers["content-security-policy"]


def test_public_pages_one_policy_without_nonce_and_no_violation(tab, demo_site):
    base, pages = demo_site
    policies = set()
    for page in pages:
        policies.add(visit(tab, base + page.path, page.status))
        assert violations(tab) == [], page
    # One policy for every reader and every page: nothing per request in it.
    assert len(policies) == 1
    policy = policies.pop()
    assert "nonce-" not in policy and "unsafe-" not in policy
    assert "script-src 'self'" in policy and "default-src 'none'" in policy


def test_the_post_page_runs_the_site_script_and_shows_maths_and_its_card(tab, demo_site):
    base, pages = demo_site
    post = next(page.path for page in pages if page.name == "post")
    visit(tab, base + post)
    # site.js ran (script-src 'self'): it added the copy buttons.
    tab.locator(".codeblock-copy").first.wait_for(timeout=5000)
    assert tab.locator("math").count() > 0  # MathML, no script needed
    card = tab.locator('meta[property="og:image"]').get_attribute("content")
    response = tab.request.get(base + card[card.index("/cards/") :])
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert violations(tab) == []


def sign_in(page, base: str, username: str) -> None:
    visit(page, f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_the_admin_pages_have_no_violation(tab, demo_site, author):
    base, _ = demo_site
    sign_in(tab, base, author)
    assert violations(tab) == []
    # Every list and add form the index links to, and the pages beside them.
    links = tab.eval_on_selector_all(
        "#content-main a[href^='/admin/']", "anchors => anchors.map((a) => a.href)"
    )
    assert len(links) >= 10
    extra = ["/admin/bookmarklet/", "/admin/two-factor/", "/admin/password_change/"]
    for url in [*dict.fromkeys(links), *(base + path for path in extra)]:
        policy = visit(tab, url)
        assert "script-src 'self'" in policy, url
        assert violations(tab) == [], url


def test_the_editor_and_its_live_preview_have_no_violation(tab, demo_site, author):
    from posts.models import Post

    base, _ = demo_site
    sign_in(tab, base, author)
    post = max(Post.objects.published(), key=lambda p: p.body_html.count('class="codeblock"'))
    visit(tab, f"{base}/admin/posts/post/{post.pk}/change/")
    assert tab.locator('script[src*="js/editor"]').count() == 2  # editor.js, editor-uploads.js
    preview = tab.locator(".markdownx-preview")
    tab.fill("#id_body", "## Live\n\n```python\nprint('hi')\n```\n\n$x^2$")
    preview.locator("h2#live").wait_for(timeout=10_000)
    assert preview.locator(".codeblock .nb").count() == 1
    assert preview.locator("math").count() == 1
    # The history page (kept versions) and the API's docs, same policy.
    visit(tab, f"{base}/admin/posts/post/{post.pk}/history/")
    policy = visit(tab, f"{base}/api/docs")
    assert "img-src 'self' https: data:;" in policy and "script-src 'self';" in policy
    tab.locator(".swagger-ui .info .title").wait_for(timeout=15_000)
    # An operation opened and tried: Swagger UI's request is same-origin (connect-src 'self');
    # without a token the API answers 401.
    operation = tab.locator(".opblock-get").first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status")
    status.wait_for(timeout=10_000)
    assert status.inner_text().strip() == "401"
    assert violations(tab) == []


def test_the_watch_reports_what_the_policy_blocks(tab, demo_site):
    """So an empty list above means something: an inline style on a public page is reported."""
    base, _ = demo_site
    visit(tab, f"{base}/")
    tab.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    tab.wait_for_function("() => window.cspViolations.length > 0")
    assert any(v.startswith("style-src") for v in violations(tab))
