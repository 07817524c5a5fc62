"""What the page cache keeps, and for whom: anonymous GET and HEAD of public pages only."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.csp import CSP, LazyNonce

from content.models import Status
from content.preview import preview_url
from content.public import PublicPage
from pagecache.middleware import PageCacheMiddleware
from tests.factories import ago, make_post
from tests.pagecache.conftest import PUBLIC, fetch

pytestmark = pytest.mark.django_db


class TestKept:
    @pytest.mark.parametrize("page", PUBLIC)
    def test_a_second_request_costs_one_lookup_and_gets_the_same_bytes(self, client, urls, page):
        first, queries = fetch(client, urls[page])
        assert first.status_code == 200 and queries > (0 if page == "robots" else 1)
        again, queries = fetch(client, urls[page])
        assert queries == 1  # the content version, by primary key
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]

    def test_parameters_the_page_ignores_share_its_copy(self, client, urls):
        fetch(client, "/posts/")
        response, queries = fetch(client, "/posts/?utm_source=newsletter&ref=x")
        assert response.status_code == 200 and queries == 1

    def test_parameters_the_page_reads_have_copies_of_their_own(self, client, settings, db):
        settings.PAGE_SIZE = 1
        make_post(title="Older post", published_at=ago(days=2))
        make_post(title="Newer post", published_at=ago(days=1))
        first = client.get("/posts/").content.decode()
        second = client.get("/posts/?page=2").content.decode()
        assert "Newer post" in first and "Older post" in second
        assert "Older post" not in first

    def test_head_is_answered_from_the_copy_without_a_body(self, client, urls):
        get = client.get(urls["post"])
        head = client.head(urls["post"])
        assert head.status_code == 200 and head.content == b""
        assert head["Content-Length"] == str(len(get.content))
        _, queries = fetch(client, urls["post"])
        assert queries == 1

    def test_a_missing_page_is_not_kept(self, client, db):
        assert client.get("/posts/no-such-post/").status_code == 404
        response, queries = fetch(client, "/posts/no-such-post/")
        assert response.status_code == 404 and queries > 1


class TestNeverKept:
    def test_signed_in_readers_get_fresh_private_pages(self, staff_client, urls):
        for _ in range(2):
            response, queries = fetch(staff_client, urls["home"])
            assert response.status_code == 200 and queries > 2
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
        assert not response.has_header("X-Accel-Expires")

    def test_a_page_kept_for_anonymous_readers_is_not_served_to_signed_in_ones(
        self, client, staff_client, urls
    ):
        fetch(client, urls["post"])
        _, queries = fetch(staff_client, urls["post"])
        assert queries > 2

    def test_an_anonymous_reader_with_a_stale_session_cookie_still_gets_the_copy(
        self, client, urls, settings
    ):
        fetch(client, urls["post"])
        client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
        response, queries = fetch(client, urls["post"])
        assert response.status_code == 200 and queries == 2  # the session, the version

    def test_requests_with_credentials_are_private(self, client, urls):
        fetch(client, urls["post"])
        response, queries = fetch(client, urls["post"], authorization="Bearer x")
        # Rendered (the post, its neighbours, related items), not the copy kept just before.
        assert "private" in response["Cache-Control"] and queries > 2

    def test_draft_previews_are_never_kept(self, client, db):
        draft = make_post(status=Status.DRAFT, title="Secret plan")
        response = client.get(preview_url(draft))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]

    def test_searches_with_filters_are_answered_fresh(self, client, urls):
        for _ in range(2):
            response, queries = fetch(client, "/search/?q=caching&kind=post")
            assert response.status_code == 200 and queries > 1
        assert "no-store" in response["Cache-Control"]

    def test_plain_searches_are_kept(self, client, urls):
        fetch(client, "/search/?q=caching")
        _, queries = fetch(client, "/search/?q=caching")
        assert queries == 1

    def test_the_operators_token_bypasses_the_copy(self, client, urls, settings):
        settings.PAGE_CACHE_BYPASS_TOKEN = "benchmark"
        fetch(client, urls["home"])
        for _ in range(2):
            response, queries = fetch(client, urls["home"], x_cache_bypass="benchmark")
            assert queries > 1
        assert "public" in response["Cache-Control"]
        # A wrong token is no token.
        _, queries = fetch(client, urls["home"], x_cache_bypass="guess")
        assert queries == 1


class TestResponsesThatSetCookies:
    """Public views set no cookies today; the rule holds for one that would."""

    def visit(self, respond):
        request = RequestFactory().get("/")
        request.COOKIES = {}
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        request._csp_nonce = LazyNonce()  # as Django's CSP middleware leaves it

        def view(request):
            return respond(request)

        view.public_page = PublicPage(params=())
        middleware = PageCacheMiddleware(lambda request: view(request))
        assert middleware.process_view(request, view, (), {}) is None
        return middleware(request)

    def test_a_response_setting_a_cookie_is_not_kept(self, db):
        def respond(request):
            response = HttpResponse("hello")
            response.set_cookie("theme", "dark")
            return response

        first = self.visit(respond)
        assert "theme" in first.cookies
        assert not first.has_header("X-Accel-Expires")
        again = self.visit(respond)
        assert "theme" in again.cookies  # rendered again, not replayed

    def test_a_page_holding_a_csrf_token_is_not_kept(self, db):
        def respond(request):
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
            return HttpResponse("<form>token</form>")

        assert not self.visit(respond).has_header("X-Accel-Expires")

    def test_a_page_using_a_csp_nonce_is_not_kept(self, db):
        def respond(request):
            return HttpResponse(f'<script nonce="{request._csp_nonce}"></script>')

        assert not self.visit(respond).has_header("X-Accel-Expires")

    def test_a_page_leaving_the_nonce_alone_is_kept(self, db):
        assert self.visit(lambda request: HttpResponse("hello")).has_header("X-Accel-Expires")


CSP_MIDDLEWARE = "django.middleware.csp.ContentSecurityPolicyMiddleware"


@pytest.mark.parametrize("page", PUBLIC)
def test_public_pages_stay_kept_under_a_nonce_policy(client, urls, settings, page):
    """A strict CSP offering a nonce: public pages never take it (their one script is a static
    file, allowed by 'self'), so they stay the same for everyone and are kept; their policy
    is the same static header on every copy."""
    middleware = [name for name in settings.MIDDLEWARE if name != CSP_MIDDLEWARE]
    middleware.insert(middleware.index("django.middleware.security.SecurityMiddleware") + 1,
                      CSP_MIDDLEWARE)  # fmt: skip
    settings.MIDDLEWARE = middleware
    settings.SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}
    first, _ = fetch(client, urls[page])
    again, queries = fetch(client, urls[page])
    assert first.status_code == 200 and queries == 1
    assert first["Content-Security-Policy"] == again["Content-Security-Policy"]
    assert "nonce-" not in again["Content-Security-Policy"]
