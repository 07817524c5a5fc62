"""/search/ with odd, hostile and invalid input: always a readable page, never a 500."""

import pytest
from django.urls import reverse

from content.models import Status
from search import facets
from search.query import MAX_QUERY_LENGTH, clean_query_text
from tests.factories import make_learning, make_note, make_post

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")

HOSTILE_QUERIES = [
    "",
    " ",
    "!!",
    "&|",
    "&",
    "|",
    "!",
    "'",
    "''",
    '"',
    '"unterminated',
    '"unterminated phrase or',
    "-",
    "--",
    "- -caching",
    "-caching",
    "or",
    "or or",
    "caching or or",
    "or -",
    "(",
    "caching)",
    "<->",
    "caching <-> python",
    "caching & python | !rust",
    ":*",
    "cach:*",
    "caching:A",
    "\\",
    "\\\\",
    "%",
    "%00",
    "%%",
    "_",
    "caching\x00python",
    "\x00",
    "\x01\x02\x7f",
    "'; DROP TABLE posts_post; --",
    "1' OR '1'='1",
    "caching') OR 1=1 --",
    "$$ || pg_sleep(10) || $$",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "🐍 asyncio 🚀",
    "🐍",
    "שלום עולם",
    "مرحبا بالعالم caching",
    "\u202ecaching",
    "ｃａｃｈｉｎｇ",
    "caché naïve Ünïcödé",
    "日本語の検索",
    "a" * 201,
    "caching " * 2000,
    "x" * 10_000,
    "{{ 7*7 }} {% debug %}",
    "NULL",
    "the",
    "the and of",
]


@pytest.fixture(autouse=True)
def content():
    facets._memo.clear()
    make_post(title="Caching in Python", summary="s", body="Cache it, the <b>hard</b> way.")
    make_note(title="Rust or Go?", body="Both.")
    make_learning(title="What is VACUUM?", body="Cleaning.", tags=["postgres"])


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_any_query_text_gets_a_normal_page(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "<script>alert" not in html and "<img src=x" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "caching", "kind": "zzz"},
        {"q": "caching", "kind": "Post"},
        {"q": "caching", "kind": "posts_post'--"},
        {"q": "caching", "year": "abc"},
        {"q": "caching", "year": "99999"},
        {"q": "caching", "year": "-1"},
        {"q": "caching", "year": "2024.5"},
        {"q": "caching", "year": "9" * 400},
        {"q": "caching", "tag": "no-such-tag"},
        {"q": "caching", "tag": "x\x00y"},
        {"q": "caching", "tag": "' OR 1=1 --"},
        {"q": "caching", "tag": "t" * 5000},
        {"kind": "zzz"},
    ],
    ids=lambda params: repr(params)[:40],
)
def test_an_invalid_filter_is_a_400_page(client, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1e3", "9" * 30, "\x00"])
def test_a_bad_page_number_is_a_404(client, page):
    assert client.get(SEARCH, {"q": "caching", "page": page}).status_code == 404


def test_repeated_parameters_and_unknown_ones_are_harmless(client):
    response = client.get(f"{SEARCH}?q=caching&q=rust&kind=post&kind=note&utm_source=x")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 1


def test_only_get_and_head_are_allowed(client):
    assert client.post(SEARCH, {"q": "caching"}).status_code == 405
    assert client.head(SEARCH, {"q": "caching"}).status_code == 200


def test_the_empty_page_shows_the_form_and_the_most_used_tags(client):
    make_note(title="Draft", status=Status.DRAFT, tags=["secret-tag"])
    response = client.get(SEARCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="search-q"' in html
    assert 'href="/tags/postgres/">#postgres</a>' in html
    assert "secret-tag" not in html
    assert "result" not in html


@pytest.mark.parametrize("query", ["!! &|", "-caching", '-"rust or go"', "or -x"])
def test_a_query_without_words_to_find_says_so(client, query, django_assert_max_num_queries):
    # The content's version, then the tag counts and the tags (until cached): no search.
    with django_assert_max_num_queries(3):
        html = client.get(SEARCH, {"q": query}).content.decode()
    assert "There is nothing to search for in" in html
    assert 'href="/tags/postgres/">#postgres</a>' in html


def test_a_long_query_is_cut_to_200_characters(client):
    response = client.get(SEARCH, {"q": "caching " + "x" * 10_000})
    assert response.context["query"] == ("caching " + "x" * 10_000)[:MAX_QUERY_LENGTH]
    assert len(clean_query_text("é" * 500)) == MAX_QUERY_LENGTH


def test_control_characters_become_spaces():
    assert clean_query_text("caching\x00python\r\n  rust\t") == "caching python rust"


def test_the_header_search_box_is_on_every_page_but_search(client):
    for url in ["/", "/posts/", "/tags/"]:
        html = client.get(url).content.decode()
        assert '<form class="search-box" role="search" action="/search/" method="get">' in html
        assert 'name="q" maxlength="200"' in html
    # The search page and the 404 page have their own box, in the page: one box each.
    for url in [SEARCH, "/no-such-page/"]:
        html = client.get(url).content.decode()
        assert html.count('role="search"') == 1 and html.count('name="q"') == 1, url


def test_the_header_box_repeats_the_query(client):
    html = client.get(SEARCH, {"q": 'caching "<b>"'}).content.decode()
    assert 'value="caching &quot;&lt;b&gt;&quot;"' in html
