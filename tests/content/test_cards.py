"""Open Graph cards: one per item, tag and the site, drawn with Pillow, cached, versioned."""

import io
import re

import pytest
from PIL import Image

from content.cards import HEIGHT, MAX_LINES, WIDTH, card_of, fit_title
from content.models import Status, Tag
from tests.factories import make_learning, make_note, make_post

pytestmark = pytest.mark.django_db


def og(html: str, prop: str) -> str:
    return re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)">', html).group(1)


def image_of(client, url: str):
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/png"
    return response, Image.open(io.BytesIO(response.content))


class TestItemCards:
    def test_an_item_page_names_its_card_and_the_card_is_a_1200x630_png(self, client):
        post = make_post(title="Indexes & what they cost")
        html = client.get(post.get_absolute_url()).content.decode()
        url = og(html, "og:image")
        assert url.startswith(f"http://testserver/cards/posts/{post.slug}/")
        assert og(html, "twitter:image") == url
        assert og(html, "og:image:alt") == "Post on Field Notes: Indexes &amp; what they cost"
        assert og(html, "twitter:card") == "summary_large_image"
        response, image = image_of(client, url)
        assert image.size == (WIDTH, HEIGHT) == (1200, 630)
        assert "immutable" in response["Cache-Control"]

    def test_the_card_is_drawn_once_and_kept_on_disk(self, client, settings):
        note = make_note(title="Kept")
        url = card_of(note).url
        image_of(client, url)
        files = list((settings.MEDIA_ROOT / "cards").glob("*.png"))
        assert [f.name for f in files] == [f"{card_of(note).version}.png"]
        stamp = files[0].stat().st_mtime_ns
        image_of(client, url)
        assert files[0].stat().st_mtime_ns == stamp

    def test_a_new_title_makes_a_new_card_and_the_old_address_follows(self, client):
        learning = make_learning(title="Old question?")
        old = card_of(learning).url
        learning.title = "New question?"
        learning.save()
        new = card_of(learning).url
        assert new != old
        response = client.get(old)
        assert response.status_code == 302 and response["Location"] == new
        image_of(client, new)

    def test_drafts_have_no_card_and_their_preview_shows_the_sites(self, client, staff_client):
        draft = make_post(title="Secret", status=Status.DRAFT)
        assert client.get(card_of(draft).url).status_code == 404
        from content.preview import preview_url

        html = client.get(preview_url(draft)).content.decode()
        assert "/cards/site/home/" in og(html, "og:image")

    @pytest.mark.parametrize(
        "url", ["/cards/posts/nothing/abc.png", "/cards/kinds/x/abc.png", "/cards/site/x/abc.png"]
    )
    def test_unknown_cards_are_404(self, client, url):
        assert client.get(url).status_code == 404


class TestTagAndSiteCards:
    def test_a_tag_page_has_the_tags_card(self, client):
        make_note(tags=["postgresql"])
        tag = Tag.objects.get(slug="postgresql")
        html = client.get(tag.get_absolute_url()).content.decode()
        assert "/cards/tags/postgresql/" in og(html, "og:image")
        assert og(html, "og:image:alt") == "Tag on Field Notes: #postgresql"
        image_of(client, og(html, "og:image"))

    def test_home_and_other_pages_have_the_sites_card(self, client):
        for url in ["/", "/posts/", "/archive/", "/search/"]:
            html = client.get(url).content.decode()
            assert "/cards/site/home/" in og(html, "og:image"), url
            assert og(html, "og:image:alt").startswith("Field Notes: ")
        image_of(client, og(html, "og:image"))


class TestDrawing:
    def test_a_long_title_is_shortened_to_fit(self):
        face, lines = fit_title("word " * 200, 1040)
        assert len(lines) == MAX_LINES and lines[-1].endswith("…")
        assert all(face.getlength(line) <= 1040 for line in lines)

    def test_a_short_title_gets_the_largest_size(self):
        face, lines = fit_title("Short", 1040)
        assert lines == ["Short"] and face.size == 68

    def test_a_word_longer_than_a_line_is_broken(self):
        face, lines = fit_title("x" * 300, 1040)
        assert all(face.getlength(line) <= 1040 for line in lines)


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
