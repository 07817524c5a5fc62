"""The editor's endpoints: markdownx's live preview and image uploads, and the uploaded
images themselves.

Only a user who may add or change some kind of content may preview or upload (others get a
403). markdownx's own views trust the client (a missing field is a 500, the declared type
decides the format); these answer every refusal with a 400 and a message instead: the
preview pane shows the text, and static/js/editor-uploads.js shows an upload's.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe
from django.views.static import serve

from content.markdown import markdownify
from content.models import content_models
from content.uploads import UploadRefused, store

MAX_PREVIEW_CHARS = 2_000_000
# What multipart framing may add to the file in a request, beyond UPLOAD_MAX_BYTES.
FORM_OVERHEAD = 64 * 1024


def may_edit(user) -> bool:
    """Whether `user` may add or change at least one kind of content."""
    return any(
        user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")
        for model in content_models()
        for action in ("add", "change")
    )


MAY_NOT_EDIT = "Your account may not add or change any content, so it cannot use the editor."


@staff_member_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    # The preview pane shows whatever text comes back, errors included.
    if not may_edit(request.user):
        return HttpResponse(f"<p>{escape(MAY_NOT_EDIT)}</p>", status=403)
    content = request.POST.get("content")
    if content is None or len(content) > MAX_PREVIEW_CHARS:
        message = "<p>Send the Markdown as <code>content</code> (at most 2 MB).</p>"
        return HttpResponse(message, status=400)
    return HttpResponse(markdownify(content))


# The CSRF token travels in the multipart body, so checking it first would read (and spool
# to disk) any body at all: the size is checked first, then the token (csrf_protect below).
@csrf_exempt
@staff_member_required
@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    """markdownx posts the file as `image` and inserts the `image_code` it gets back."""
    if not may_edit(request.user):
        return JsonResponse({"error": MAY_NOT_EDIT}, status=403)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD:
        megabytes = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        return JsonResponse({"error": f"The file is over {megabytes} MB."}, status=400)
    return _store(request)


@csrf_protect
def _store(request: HttpRequest) -> JsonResponse:
    try:
        url = store(request.user, request.FILES.get("image"))
    except UploadRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    return JsonResponse({"image_code": f"![]({url})"})


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded images. A personal site's few images need no separate server; nosniff (from
    SecurityMiddleware) and the re-encoded content keep them from being anything else."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
