"""/cards/<kind>/<slug>/<version>.png: the Open Graph image of an item, a tag or the site."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from content.cards import Card, card_of
from content.models import Tag, content_models


def find_card(kind: str, slug: str) -> Card | None:
    """The card at this address, if what it shows is published."""
    if kind == "site":
        return card_of() if slug == "home" else None
    if kind == "tags":
        tag = Tag.objects.published_tag(slug)
        return card_of(tag) if tag else None
    for model in content_models():
        if model._meta.app_label == kind:
            item = model.objects.published().only("title", "slug").filter(slug=slug).first()
            return card_of(item) if item else None
    return None


@require_safe
def card_image(request: HttpRequest, kind: str, slug: str, version: str) -> HttpResponse:
    card = find_card(kind, slug)
    if card is None:
        raise Http404("No such card")
    if version != card.version:
        # An old title's card: the current one (shared links keep an image).
        return redirect(card.url)
    response = HttpResponse(card.png(), content_type="image/png")
    # The version in the URL changes with the image, so what it names never does.
    patch_cache_control(response, public=True, max_age=31_536_000, immutable=True)
    return response
