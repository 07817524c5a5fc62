"""Uploads from the editor: who may upload and preview, limits checked before decoding, every
refusal a 400 with a message, re-encoding without metadata, and pruning what nothing uses."""

import io
import os
import time

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from PIL import Image

from tests.content.conftest import png_bomb
from tests.factories import make_bookmark, make_post

pytestmark = pytest.mark.django_db

PREVIEW = "/markdownx/markdownify/"
UPLOAD = "/markdownx/upload/"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff", "gif": b"GIF8"}


def image_bytes(fmt: str, size=(8, 8), mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(client, data: bytes, name="image.png", content_type="image/png", **extra):
    file = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(UPLOAD, {"image": file}, **{**XHR, **extra})


def stored(response, settings) -> bytes:
    code = response.json()["image_code"]
    return (settings.MEDIA_ROOT / code[len("![](/media/") : -1]).read_bytes()


@pytest.fixture
def staff(client, django_user_model):
    """A staff account, signed in, with no permission at all (yet)."""
    user = django_user_model.objects.create_user("helper", password="pw-long-enough", is_staff=True)
    client.force_login(user)
    return user


class TestWhoMayUse:
    def test_a_staff_user_without_permissions_gets_403(self, client, staff, settings):
        response = upload(client, image_bytes("PNG"))
        assert response.status_code == 403
        assert "may not add or change any content" in response.json()["error"]
        preview = client.post(PREVIEW, {"content": "# Hi"})
        assert preview.status_code == 403
        assert b"may not add or change any content" in preview.content
        assert not (settings.MEDIA_ROOT / "uploads").exists()

    @pytest.mark.parametrize("codename", ["add_note", "change_bookmark"])
    def test_permission_on_any_kind_is_enough(self, client, staff, codename):
        staff.user_permissions.add(Permission.objects.get(codename=codename))
        assert upload(client, image_bytes("PNG")).status_code == 200
        assert client.post(PREVIEW, {"content": "# Hi"}).status_code == 200

    def test_permission_on_other_things_is_not(self, client, staff):
        staff.user_permissions.add(Permission.objects.get(codename="change_user"))
        assert upload(client, image_bytes("PNG")).status_code == 403

    def test_the_csrf_token_is_required(self, django_user_model):
        user = django_user_model.objects.create_superuser("boss", "b@example.com", "pw")
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        response = upload(client, image_bytes("PNG"))
        assert response.status_code == 403
        assert "security token is no longer valid" in response.json()["error"]
        assert client.post(PREVIEW, {"content": "x"}, **XHR).status_code == 403


class TestRefusals:
    """Every refusal is a 400 with a sentence for the author, never a 500."""

    def refused(self, response) -> str:
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        return response.json()["error"]

    def test_no_file(self, staff_client):
        assert "carried none" in self.refused(staff_client.post(UPLOAD, {}, **XHR))

    def test_not_an_image_without_the_xhr_header(self, staff_client):
        file = SimpleUploadedFile("x.gif", b"<script>alert(1)</script>", content_type="image/gif")
        assert "not a readable image" in self.refused(staff_client.post(UPLOAD, {"image": file}))

    def test_a_good_image_without_the_xhr_header_is_stored(self, staff_client):
        file = SimpleUploadedFile("x.png", image_bytes("PNG"), content_type="image/png")
        assert staff_client.post(UPLOAD, {"image": file}).status_code == 200

    def test_an_unwritable_media_folder(self, staff_client, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path / "not-a-folder"
        settings.MEDIA_ROOT.write_text("a file where the folder should be")
        message = self.refused(upload(staff_client, image_bytes("PNG")))
        assert "could not save the image" in message and "Nothing was stored" in message

    def test_a_truncated_image(self, staff_client):
        data = image_bytes("PNG", size=(200, 200))
        assert "damaged" in self.refused(upload(staff_client, data[: len(data) // 2]))

    def test_too_many_bytes_refused_before_the_body_is_read(self, staff_client, settings):
        response = staff_client.post(
            UPLOAD, b"", content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(settings.UPLOAD_MAX_BYTES * 10), **XHR,
        )  # fmt: skip
        assert "over 5 MB" in self.refused(response)

    def test_a_large_file(self, staff_client):
        data = image_bytes("PNG") + b"\0" * (5 * 1024 * 1024)
        assert "at most 5 MB" in self.refused(upload(staff_client, data))

    def test_the_rate_per_user(self, staff_client, settings):
        settings.UPLOAD_RATE = 3
        for _ in range(3):
            assert upload(staff_client, image_bytes("PNG")).status_code == 200
        message = self.refused(upload(staff_client, image_bytes("PNG")))
        assert "You have uploaded 3 images in the last 60 minutes" in message


@pytest.fixture
def no_decoding(monkeypatch) -> list[str]:
    """Fails the test if Pillow creates a decoder (starts turning bytes into pixels)."""
    from PIL import Image as PILImage

    started = []

    def refuse(*args, **kwargs):
        started.append(args[0])
        raise AssertionError("Pillow started decoding pixels")

    monkeypatch.setattr(PILImage, "_getdecoder", refuse)
    return started


class TestDecompressionBombs:
    @pytest.mark.parametrize(
        "width,height",
        [(20_000, 20_000), (13_000, 13_000), (7_000, 7_000)],
        ids=["400-megapixels", "169-megapixels", "49-megapixels"],
    )
    def test_refused_from_the_header_without_decoding(
        self, staff_client, no_decoding, settings, width, height
    ):
        bomb = png_bomb(width, height)
        assert len(bomb) < 400_000  # tiny on the wire
        response = upload(staff_client, bomb)
        assert response.status_code == 400
        message = response.json()["error"]
        assert "pixels" in message and "40" in message
        assert no_decoding == []
        assert not (settings.MEDIA_ROOT / "uploads").exists()

    def test_frames_count_towards_the_limit(self, staff_client, no_decoding, settings):
        settings.UPLOAD_MAX_PIXELS = 1_000_000
        frames = [Image.new("L", (400, 400), shade) for shade in range(0, 250, 25)]
        buffer = io.BytesIO()
        frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
        with Image.open(io.BytesIO(buffer.getvalue())) as check:
            assert check.n_frames == 10
        no_decoding.clear()
        response = upload(staff_client, buffer.getvalue(), "a.gif", "image/gif")
        assert response.status_code == 400
        assert "400×400 × 10 frames, 1.6 megapixels" in response.json()["error"]
        assert no_decoding == []

    def test_just_under_the_limit_is_accepted(self, staff_client, settings):
        settings.UPLOAD_MAX_PIXELS = 10_000
        assert upload(staff_client, image_bytes("PNG", size=(100, 100))).status_code == 200
        assert upload(staff_client, image_bytes("PNG", size=(100, 101))).status_code == 400


class TestRoundTrip:
    @pytest.mark.parametrize(
        "fmt,declared,ext",
        [("PNG", "image.gif", "png"), ("JPEG", "photo.png", "jpg"), ("GIF", "a.webp", "gif"),
         ("WEBP", "b.jpg", "webp")],
    )  # fmt: skip
    def test_bytes_match_the_extension_whatever_was_declared(
        self, staff_client, settings, fmt, declared, ext
    ):
        response = upload(staff_client, image_bytes(fmt), declared, "image/gif")
        assert response.status_code == 200
        code = response.json()["image_code"]
        assert code.endswith(f".{ext})")
        data = stored(response, settings)
        if ext == "webp":
            assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
        else:
            assert data.startswith(SIGNATURES[ext])
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == fmt
        served = staff_client.get(code[len("![](") : -1])
        assert served.status_code == 200
        assert served["Content-Type"] == f"image/{ {'jpg': 'jpeg'}.get(ext, ext) }"

    def test_jpeg_exif_and_gps_are_dropped_and_the_orientation_applied(
        self, staff_client, settings
    ):
        exif = Image.Exif()
        exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
        exif[0x010F] = "Camera Maker"
        exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
        data = image_bytes("JPEG", size=(40, 20), exif=exif.tobytes(), comment=b"secret")
        out = stored(upload(staff_client, data, "p.jpg", "image/jpeg"), settings)
        assert b"Camera Maker" not in out and b"secret" not in out and b"Exif" not in out
        with Image.open(io.BytesIO(out)) as image:
            assert image.size == (20, 40)
            assert not image.getexif()
            assert "comment" not in image.info

    def test_png_text_and_gif_comments_are_dropped(self, staff_client, settings):
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Author", "Someone Private")
        png = image_bytes("PNG", pnginfo=info)
        assert b"Someone Private" in png
        assert b"Someone Private" not in stored(upload(staff_client, png), settings)
        gif = image_bytes("GIF", comment=b"made on my laptop")
        out = stored(upload(staff_client, gif, "a.gif", "image/gif"), settings)
        assert b"made on my laptop" not in out

    def test_an_animation_keeps_its_frames(self, staff_client, settings):
        frames = [Image.new("RGB", (30, 20), color) for color in ("red", "green", "blue")]
        buffer = io.BytesIO()
        frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
        out = stored(upload(staff_client, buffer.getvalue(), "a.gif", "image/gif"), settings)
        with Image.open(io.BytesIO(out)) as image:
            assert image.n_frames == 3 and image.info["duration"] == 200

    def test_transparency_survives(self, staff_client, settings):
        buffer = io.BytesIO()
        Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(buffer, "PNG")
        out = stored(upload(staff_client, buffer.getvalue()), settings)
        with Image.open(io.BytesIO(out)) as image:
            assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0
        # An opaque image with an alpha channel stays opaque, in its own colour.
        opaque = stored(
            upload(staff_client, image_bytes("PNG", mode="RGBA", size=(4, 4))), settings
        )
        with Image.open(io.BytesIO(opaque)) as image:
            assert image.convert("RGBA").getpixel((0, 0)) == (0, 128, 128, 255)

    def test_wide_images_are_narrowed_to_2000_pixels(self, staff_client, settings):
        out = stored(upload(staff_client, image_bytes("PNG", size=(4000, 100))), settings)
        with Image.open(io.BytesIO(out)) as image:
            assert image.size == (2000, 50)


class TestPruneUploads:
    @pytest.fixture
    def uploads(self, staff_client, settings) -> dict[str, str]:
        names = {}
        for label in ("in-post", "in-bookmark", "unused", "young"):
            code = upload(staff_client, image_bytes("PNG")).json()["image_code"]
            names[label] = code[len("![](/media/") : -1]
        old = time.time() - 3 * 24 * 3600
        for label in ("in-post", "in-bookmark", "unused"):
            os.utime(settings.MEDIA_ROOT / names[label], (old, old))
        make_post(status="draft", body=f"Look:\n\n![A chart](/media/{names['in-post']})\n")
        make_bookmark(body=f"Seen at ![x](https://example.com/media/{names['in-bookmark']})")
        return names

    def run(self, *args) -> str:
        out = io.StringIO()
        call_command("prune_uploads", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def test_lists_only_old_files_nothing_mentions(self, uploads, settings):
        output = self.run()
        assert uploads["unused"] in output
        assert all(uploads[k] not in output for k in ("in-post", "in-bookmark", "young"))
        assert "1 files" in output and "--delete removes them" in output
        assert (settings.MEDIA_ROOT / uploads["unused"]).exists()

    def test_delete_removes_them(self, uploads, settings):
        assert "Removed 1 files" in self.run("--delete")
        assert not (settings.MEDIA_ROOT / uploads["unused"]).exists()
        for label in ("in-post", "in-bookmark", "young"):
            assert (settings.MEDIA_ROOT / uploads[label]).exists()

    def test_older_than_zero_includes_fresh_uploads(self, uploads):
        output = self.run("--older-than", "0")
        assert uploads["young"] in output and uploads["unused"] in output

    def test_an_image_only_an_older_version_shows_is_kept(self, uploads, settings):
        from content.history import revision

        post = make_post(body=f"![Old chart](/media/{uploads['unused']})")
        with revision("Chart replaced"):
            post.body = "No chart any more."
            post.save()
        assert uploads["unused"] not in self.run("--delete")
        assert (settings.MEDIA_ROOT / uploads["unused"]).exists()

    def test_nothing_to_prune(self, db):
        assert "No unreferenced uploads." in self.run()
