"""Private preview links for drafts: signed, no login, noindex, dead once published."""

from django.apps import apps
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from content.models import Publishable

SALT = "site.draft-preview"


def preview_url(item: Publishable) -> str:
    # The slug is signed too, so renaming the item invalidates links already shared.
    token = signing.dumps([item._meta.label_lower, item.pk, item.slug], salt=SALT, compress=True)
    return reverse("draft_preview", kwargs={"token": token})


@never_cache
def draft_preview(request: HttpRequest, token: str) -> HttpResponse:
    try:
        label, pk, slug = signing.loads(token, salt=SALT)
        model = apps.get_model(label)
    except (signing.BadSignature, ValueError, LookupError, TypeError) as error:
        raise Http404("Unknown preview link") from error
    item = model.objects.filter(pk=pk, slug=slug).first()
    if item is None or item.is_published:
        raise Http404("This preview link has expired")
    opts = model._meta
    response = render(
        request,
        f"{opts.app_label}/{opts.model_name}_detail.html",
        {"object": item, opts.model_name: item, "is_preview": True},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
