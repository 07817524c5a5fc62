"""In Chromium: two editors on one post (the second save is refused with the diff, both texts
survive), and the history's restore and the recovery of a deleted post, clicked through."""

import os

import pytest

from content.history import versions_of
from tests.browser.test_browser import ARGS, CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "a-long-password"


def normalised(text: str) -> str:
    return text.replace("\r\n", "\n")  # browsers send textareas with CRLF


@pytest.fixture
def browser(live_server, django_user_model, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    from playwright.sync_api import sync_playwright

    for name in ("ada", "bob"):
        django_user_model.objects.create_superuser(name, f"{name}@example.com", PASSWORD)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def signed_in(browser, live_server, username: str):
    """A separate browser context: its own cookies, as a second machine would have."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def test_two_editors_the_second_save_is_refused_with_the_diff(browser, live_server):
    from posts.models import Post
    from tests.factories import make_post

    post = make_post(title="Shared", body="The opening paragraph.\n\nThe closing paragraph.")
    url = f"{live_server.url}/admin/posts/post/{post.pk}/change/"
    ada, bob = signed_in(browser, live_server, "ada"), signed_in(browser, live_server, "bob")
    ada.goto(url)
    bob.goto(url)

    ada.fill("#id_body", "The opening paragraph, rewritten by Ada.\n\nThe closing paragraph.")
    ada.click("input[name=_continue]")
    ada.locator(".messagelist .success").wait_for()

    bob_text = "The opening paragraph.\n\nThe closing paragraph, rewritten by Bob."
    bob.fill("#id_body", bob_text)
    bob.click("input[name=_continue]")
    conflict = bob.locator(".edit-conflict")
    conflict.wait_for()
    assert "Edit conflict: nothing was saved" in conflict.inner_text()
    assert "ada" in conflict.inner_text()
    theirs = conflict.locator(".conflict-columns > div").first
    assert theirs.locator("ins", has_text="rewritten by Ada").count() >= 1
    assert "Not saved: this post was changed" in bob.locator(".errorlist.nonfield").inner_text()
    # Bob's text is still in his form; Ada's is what is saved.
    assert bob.input_value("#id_body") == bob_text
    post.refresh_from_db()
    assert "rewritten by Ada" in post.body

    # Bob merges, having read Ada's change, and saves: both texts are in the history.
    merged = "The opening paragraph, rewritten by Ada.\n\nThe closing paragraph, rewritten by Bob."
    bob.fill("#id_body", merged)
    bob.click("input[name=_continue]")
    bob.locator(".messagelist .success").wait_for()
    post.refresh_from_db()
    assert normalised(post.body) == merged
    bodies = [normalised(v.field_dict["body"]) for v in versions_of(Post, post.pk)]
    assert bodies[0] == merged and "rewritten by Ada" in bodies[1]


def test_restore_from_the_history_and_recover_a_deleted_post(browser, live_server):
    from posts.models import Post
    from tests.factories import make_post

    post = make_post(title="Versions", body="First text.")
    post.body = "Second text."
    post.save()
    page = signed_in(browser, live_server, "ada")
    page.goto(f"{live_server.url}/admin/posts/post/{post.pk}/history/")
    assert page.locator("tr.revision").count() == 2
    page.click("input[type=submit][value='Compare the chosen versions']")
    body = page.locator(".field-diff[aria-label=Body]")
    assert body.locator("del", has_text="First").count() == 1
    assert body.locator("ins", has_text="Second").count() == 1
    page.click("button:has-text('Restore the older version')")
    page.locator(".messagelist .success").wait_for()
    post.refresh_from_db()
    assert post.body == "First text."

    page.goto(f"{live_server.url}/admin/posts/post/{post.pk}/delete/")
    page.click("input[type=submit]")
    page.locator(".messagelist .success").wait_for()
    assert not Post.objects.filter(pk=post.pk).exists()
    page.click("a:has-text('Deleted posts')")
    page.click("button:has-text('Recover')")
    page.locator(".messagelist .success").wait_for()
    assert Post.objects.get(pk=post.pk).body == "First text."
