"""Security headers on every kind of response, public or not; the grade Mozilla's HTTP
Observatory rules give the production settings behind the proxy; methods public views refuse."""

import lxml.html
import pytest
from django.test import Client

from scripts.observatory import fetcher, grade, retrieve
from tests.factories import make_post
from tests.project.conftest import HOST

pytestmark = pytest.mark.django_db

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; "
    "object-src 'none'"
)
COMMON = {
    "Content-Security-Policy": CSP,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}

DATA_BLOCKS = {"application/ld+json", "application/json"}


def assert_secure_headers(response) -> None:
    for name, value in COMMON.items():
        assert response[name] == value, name
    features = dict(part.split("=") for part in response["Permissions-Policy"].split(", "))
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= set(features)
    assert set(features.values()) == {"()"}  # refused to the site and to any frame


@pytest.mark.parametrize(
    "url,status",
    [
        ("/", 200),
        ("/feeds/all.atom", 200),
        ("/feeds/posts.json", 200),
        ("/admin/login/", 200),
        ("/admin/", 302),
        ("/no-such-page/", 404),
        ("/sitemap.xml", 200),
    ],
)
def test_every_response_carries_the_headers(client, one_of_each, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_secure_headers(response)


def test_the_api_docs_page_alone_also_allows_data_images(client):
    """Swagger UI's icons are data: SVGs; nothing else about the policy changes there."""
    response = client.get("/api/docs")
    assert response.status_code == 200
    expected = CSP.replace("img-src 'self' https:;", "img-src 'self' https: data:;")
    assert response["Content-Security-Policy"] == expected
    assert "data:" not in client.get("/")["Content-Security-Policy"]


def test_the_500_page_carries_them(settings):
    settings.ROOT_URLCONF = "tests.project.boom_urls"
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert_secure_headers(response)


def test_a_bad_host_header_gets_a_400_with_them(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert_secure_headers(response)


def test_hsts_over_https_with_production_values(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # Never over plain http, where a man in the middle could strip or forge it.
    assert "Strict-Transport-Security" not in Client().get("/")
    # Preload only when the owner opts in (SECURE_HSTS_PRELOAD=1).
    settings.SECURE_HSTS_PRELOAD = True
    response = Client().get("/", secure=True)  # a new handler: middleware reads settings once
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_public_pages_carry_one_policy_with_no_nonce(client, one_of_each):
    """The page cache stores a public page once for every reader: its policy must not change
    per request (no nonce), and it needs none, since the only script is a static file."""
    urls = ["/", "/search/?q=body", *[item.get_absolute_url() for item in one_of_each]]
    policies = {client.get(url)["Content-Security-Policy"] for url in urls for _ in range(2)}
    assert policies == {CSP}  # CSP above: scripts and styles from 'self', no nonce, no hash


def test_pages_have_no_inline_script_or_style(client, one_of_each, django_user_model):
    """What the policy would block: inline code, style attributes and elements. Data blocks
    (JSON-LD, the API docs' settings) are not run, so the policy does not apply to them."""
    author = django_user_model.objects.create_superuser("author", "a@example.com", "pw")
    public = ["/", "/admin/login/", *[item.get_absolute_url() for item in one_of_each]]
    admin = ["/admin/", "/admin/posts/post/add/", "/admin/bookmarklet/", "/admin/two-factor/"]
    for url in [*public, "/api/docs", *admin]:
        if url == admin[0]:
            client.force_login(author)
        response = client.get(url)
        assert response.status_code == 200, url
        tree = lxml.html.fromstring(response.content)
        inline = [
            script.get("type")
            for script in tree.iter("script")
            if not script.get("src") and script.get("type") not in DATA_BLOCKS
        ]
        assert inline == [], url
        assert not tree.xpath("//*[@style] | //style"), url


class TestObservatoryGrade:
    """The rules of Mozilla's HTTP Observatory (scripts/observatory.py), production settings,
    gunicorn, and requests as the TLS-terminating proxy forwards them."""

    @pytest.mark.parametrize("path", ["/", "/admin/login/", "/feeds/all.atom"])
    def test_a_plus(self, gunicorn, path):
        proxied, _ = gunicorn
        scan = retrieve(fetcher(proxied.base, behind_proxy=True), HOST, path)
        result = grade(scan)
        assert result.grade == "A+", result.results
        assert result.score >= 100
        assert all(modifier >= 0 for _, modifier in result.results.values()), result.results
        outcomes = {name: outcome for name, (outcome, _) in result.results.items()}
        assert outcomes["content-security-policy"] == (
            "csp-implemented-with-no-unsafe-default-src-none"
        )
        assert outcomes["strict-transport-security"] == (
            "hsts-implemented-max-age-at-least-six-months"
        )
        assert outcomes["redirection"] == "redirection-to-https"
        assert scan.auto.first("Strict-Transport-Security") == (
            "max-age=31536000; includeSubDomains"
        )

    def test_the_admin_cookies_are_secure_and_samesite(self, gunicorn):
        proxied, _ = gunicorn
        scan = retrieve(fetcher(proxied.base, behind_proxy=True), HOST, "/admin/login/")
        assert {cookie.key for cookie in scan.cookies} == {"csrftoken"}
        assert grade(scan).results["cookies"] == (
            "cookies-secure-with-httponly-sessions-and-samesite",
            5,
        )

    def test_a_site_without_the_headers_grades_badly(self, gunicorn):
        """The grader is not a rubber stamp: the same page with the headers taken out."""
        proxied, _ = gunicorn
        scan = retrieve(fetcher(proxied.base, behind_proxy=True), HOST, "/")
        stripped = {"content-security-policy", "strict-transport-security", "x-frame-options"}
        scan.auto.headers = [(k, v) for k, v in scan.auto.headers if k.lower() not in stripped]
        result = grade(scan)
        assert result.score == 100 - 25 - 20 - 20 and result.grade == "D"


@pytest.fixture
def public_urls(one_of_each) -> list[str]:
    from content.cards import card_of
    from content.preview import preview_url

    draft = make_post(status="draft")
    item = one_of_each[2]  # a learning: its day page too
    day = item.published_day  # in the author's time zone, as the day and archive pages are
    return [
        "/", "/posts/", "/notes/", "/learnings/", "/bookmarks/", "/tags/", "/search/?q=body",
        *[obj.get_absolute_url() for obj in one_of_each],
        f"/learnings/{day:%Y/%m/%d}/", "/archive/", f"/archive/{day:%Y}/",
        f"/archive/{day:%Y/%m}/", card_of().url, "/favicon.ico",
        "/feeds/", "/feeds/all.rss", "/feeds/notes.atom", "/feeds/weekly.json",
        "/sitemap.xml", "/robots.txt", "/healthz", "/livez", preview_url(draft),
    ]  # fmt: skip


def test_public_views_answer_get_and_head(client, public_urls):
    for url in public_urls:
        assert client.get(url).status_code == 200, url
        assert client.head(url).status_code == 200, url


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_public_views_answer_only_get_and_head(client, public_urls, method):
    for url in public_urls:
        response = getattr(client, method)(url)
        assert response.status_code == 405, (url, method)
        assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}, url
