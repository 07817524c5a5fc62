"""Private preview links for drafts: signed, no login, noindex; dead after PREVIEW_DAYS, and
dead once the slug or the status changes (a draft reverted from published gets new links)."""

import datetime

from django.apps import apps
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from content.models import Publishable

SALT = "site.draft-preview"
PREVIEW_DAYS = 7


def _state(item: Publishable) -> list:
    # The slug and the moment the status last changed are signed too: renaming the item,
    # publishing it or reverting it to draft ends the links already shared.
    changed = item.status_changed_at.isoformat() if item.status_changed_at else ""
    return [item._meta.label_lower, item.pk, item.slug, changed]


def preview_url(item: Publishable) -> str:
    token = signing.dumps(_state(item), salt=SALT, compress=True)
    return reverse("draft_preview", kwargs={"token": token})


@require_safe
@never_cache
def draft_preview(request: HttpRequest, token: str) -> HttpResponse:
    try:
        state = signing.loads(token, salt=SALT, max_age=datetime.timedelta(days=PREVIEW_DAYS))
        model = apps.get_model(state[0])
        item = model.objects.filter(pk=int(state[1])).first()
    except signing.SignatureExpired as error:
        raise Http404("This preview link has expired") from error
    except (signing.BadSignature, ValueError, LookupError, TypeError, IndexError) as error:
        raise Http404("Unknown preview link") from error
    if item is None or item.is_published or _state(item) != state:
        raise Http404("This preview link has expired")
    opts = model._meta
    response = render(
        request,
        f"{opts.app_label}/{opts.model_name}_detail.html",
        {"object": item, opts.model_name: item, "is_preview": True},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
