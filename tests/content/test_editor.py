"""The admin's live preview is the published rendering; uploads are verified images."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from content.markdown import markdownify, render

pytestmark = pytest.mark.django_db

PREVIEW = "/markdownx/markdownify/"
UPLOAD = "/markdownx/upload/"
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
SOURCE = "# Title\n\n```python\nx = 1\n```\n\n$e^{i\\pi} + 1 = 0$\n"


def image_bytes(fmt: str, size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, fmt)
    return buffer.getvalue()


class TestPreview:
    def test_staff_get_exactly_the_published_html(self, staff_client):
        response = staff_client.post(PREVIEW, {"content": SOURCE})
        assert response.status_code == 200
        assert response.content.decode() == render(SOURCE).html == markdownify(SOURCE)
        assert '<span class="n">x</span>' in response.content.decode()

    def test_warnings_show_in_the_preview(self, staff_client):
        html = staff_client.post(PREVIEW, {"content": "```nosuchlang\nx\n```"}).content.decode()
        assert 'class="render-warnings"' in html and "nosuchlang" in html

    def test_anonymous_users_are_refused(self, client):
        response = client.post(PREVIEW, {"content": SOURCE})
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_missing_content_is_a_400_not_a_500(self, staff_client):
        assert staff_client.post(PREVIEW, {}).status_code == 400
        assert staff_client.get(PREVIEW).status_code == 405


class TestUploads:
    @pytest.mark.parametrize(
        "fmt,content_type,ext",
        [("PNG", "image/png", "png"), ("JPEG", "image/jpeg", "jpg"), ("GIF", "image/gif", "gif"),
         ("WEBP", "image/webp", "webp")],
    )  # fmt: skip
    def test_images_are_stored_under_generated_names(
        self, staff_client, settings, fmt, content_type, ext
    ):
        upload = SimpleUploadedFile("My Photo.png", image_bytes(fmt), content_type=content_type)
        response = staff_client.post(UPLOAD, {"image": upload}, **AJAX)
        assert response.status_code == 200, response.content
        code = response.json()["image_code"]
        assert code.startswith("![](/media/uploads/") and code.endswith(f".{ext})")
        stored = code[len("![](/media/") : -1]
        assert (settings.MEDIA_ROOT / stored).exists()
        assert "My Photo" not in code
        served = staff_client.get(f"/media/{stored}")
        assert served.status_code == 200
        assert served["X-Content-Type-Options"] == "nosniff"

    def test_html_disguised_as_a_gif_is_refused(self, staff_client):
        upload = SimpleUploadedFile(
            "x.html", b"<script>alert(1)</script>", content_type="image/gif"
        )
        response = staff_client.post(UPLOAD, {"image": upload}, **AJAX)
        assert response.status_code == 400
        assert "not a readable image" in str(response.json())

    def test_other_types_are_refused(self, staff_client):
        upload = SimpleUploadedFile("x.bmp", image_bytes("BMP"), content_type="image/bmp")
        assert staff_client.post(UPLOAD, {"image": upload}, **AJAX).status_code == 400

    def test_a_declared_type_that_lies_is_refused(self, staff_client):
        upload = SimpleUploadedFile("x.png", image_bytes("BMP"), content_type="image/png")
        response = staff_client.post(UPLOAD, {"image": upload}, **AJAX)
        assert response.status_code == 400
        assert "BMP images are not accepted" in str(response.json())

    def test_files_over_5_mb_are_refused(self, staff_client, settings):
        big = image_bytes("PNG") + b"\0" * (5 * 1024 * 1024)
        upload = SimpleUploadedFile("big.png", big, content_type="image/png")
        assert staff_client.post(UPLOAD, {"image": upload}, **AJAX).status_code == 400

    def test_anonymous_uploads_are_refused(self, client, settings):
        upload = SimpleUploadedFile("a.png", image_bytes("PNG"), content_type="image/png")
        assert client.post(UPLOAD, {"image": upload}, **AJAX).status_code == 302
        assert not (settings.MEDIA_ROOT / "uploads").exists()
