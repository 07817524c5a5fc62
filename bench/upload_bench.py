"""Time the editor's image uploads: decompression bombs refused from the header, and ordinary
images accepted and re-encoded.

    .tools/bin/uv run --frozen python bench/upload_bench.py [--runs 10]

Makes a throwaway database (`test_site_upload_bench`) and a superuser, and posts each file
`--runs` times through Django's test client to /markdownx/upload/ (the XHR markdownx sends).
Prints, per file: its size, the status, the median and slowest time, and how much the
process's peak resident memory grew while it was posted. The bombs go first, so their growth
is measured from a low peak: decoding a 400-megapixel image would take 50 MB (1 bit per
pixel) to 1.6 GB (RGBA); refused from its header, it takes nothing measurable.
"""

import argparse
import io
import logging
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "test_site_upload_bench")
os.environ["UPLOAD_RATE"] = "1000000"  # the per-user rate is not what is measured here
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="upload-bench-")

import django  # noqa: E402  (needs the environment above)


def files() -> dict[str, tuple[str, bytes]]:
    from PIL import Image

    from tests.content.conftest import png_bomb

    photo = io.BytesIO()
    Image.effect_noise((1600, 1200), 64).convert("RGB").save(photo, "JPEG", quality=90)
    frames = [Image.effect_noise((480, 270), 40 + n).convert("RGB") for n in range(30)]
    animation = io.BytesIO()
    frames[0].save(animation, "GIF", save_all=True, append_images=frames[1:], duration=80)
    return {
        "400-megapixel PNG bomb": ("bomb.png", png_bomb(20_000, 20_000)),
        "169-megapixel PNG bomb": ("bomb.png", png_bomb(13_000, 13_000)),
        "49-megapixel PNG bomb": ("bomb.png", png_bomb(7_000, 7_000)),
        "1600×1200 JPEG photo": ("photo.jpg", photo.getvalue()),
        "480×270 GIF, 30 noise frames": ("clip.gif", animation.getvalue()),
    }


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        from site_project import localdb

        localdb.LocalDatabase().ensure_running()
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # one line per refusal otherwise
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        user = get_user_model().objects.create_superuser("bench", "b@example.com", "pw-bench")
        client = Client()
        client.force_login(user)
        print(f"{'file':26} {'size':>9}  status  median     max   peak memory growth")
        for label, (name, data) in files().items():
            before, timings, statuses = peak_mb(), [], set()
            for _ in range(args.runs):
                upload = SimpleUploadedFile(name, data, content_type="image/png")
                started = time.perf_counter()
                response = client.post(
                    "/markdownx/upload/", {"image": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
                )
                timings.append((time.perf_counter() - started) * 1000)
                statuses.add(response.status_code)
            print(
                f"{label:26} {len(data) / 1024:7.0f} KB  {','.join(map(str, sorted(statuses))):6} "
                f"{statistics.median(timings):6.1f} ms {max(timings):6.1f} ms  "
                f"{peak_mb() - before:+.1f} MB"
            )
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()
