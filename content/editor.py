"""The editor's endpoints: markdownx's live preview and image uploads, for staff only.

markdownx's own views trust the client: a missing field is a 500, and an upload's declared
content type and file name decide what is stored. These check instead.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django.views.static import serve
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView
from PIL import Image, UnidentifiedImageError

from content.markdown import markdownify

# What Pillow finds in the file -> the extension it is stored under.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MAX_PREVIEW_CHARS = 2_000_000


@staff_member_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    content = request.POST.get("content")
    if content is None or len(content) > MAX_PREVIEW_CHARS:
        return HttpResponseBadRequest("Send the Markdown as `content` (at most 2 MB).")
    return HttpResponse(markdownify(content))


class VerifiedImageForm(ImageForm):
    def clean(self):
        upload = super().clean()
        try:
            with Image.open(upload) as image:
                image.verify()
                found = image.format
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValidationError("The file is not a readable image.") from error
        if found not in IMAGE_FORMATS:
            allowed = ", ".join(IMAGE_FORMATS)
            raise ValidationError(f"{found} images are not accepted; use one of {allowed}.")
        upload.seek(0)
        # The stored name is a UUID with the extension of what the file really is.
        upload.name = f"upload.{IMAGE_FORMATS[found]}"
        return upload


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded images. A personal site's few images need no separate server; nosniff (from
    SecurityMiddleware) and the verified content above keep them from being anything else."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


@method_decorator(staff_member_required, name="dispatch")
class ImageUpload(ImageUploadView):
    form_class = VerifiedImageForm
    http_method_names = ["post"]
