"""Generic views shared by the kinds (each kind's views are a few lines on top), and the pages
that span every kind: tags and archives."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from content.mixed import MixedList
from content.models import Publishable, Tag
from content.public import PublicPage, public_page
from content.related import related_items

# Only GET and HEAD: a public page has nothing to say to any other method.
SAFE_METHODS = ["get", "head"]


def paginate(request: HttpRequest, items, per_page: int | None = None) -> Page:
    """One page of `items`; ?page=abc, -1 or 999999 is a 404, never a 500."""
    try:
        return Paginator(items, per_page or settings.PAGE_SIZE).page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404(str(error)) from error


class PublishedMixin:
    """Readers only ever reach published items, whatever the view."""

    model: type[Publishable]
    http_method_names = SAFE_METHODS
    public_page = PublicPage()

    def get_queryset(self) -> QuerySet:
        return self.model.objects.published()

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.model._meta.app_label, **kwargs)


class ContentListView(PublishedMixin, ListView):
    # Django's paginator answers 404 for ?page=abc, ?page=-1 and ?page=999999.
    allow_empty = True

    def get_paginate_by(self, queryset) -> int:
        return settings.PAGE_SIZE

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().for_list(with_tags=False)


class ContentDetailView(PublishedMixin, DetailView):
    public_page = PublicPage(params=())

    def get_queryset(self) -> QuerySet:
        # The page prints the stored HTML: never the Markdown source or the search vector.
        return super().get_queryset().defer("body", "search_vector").with_tag_lists()

    def get_context_data(self, **kwargs):
        item = self.object
        older, newer = self.model.objects.published().neighbours(item.published_at)
        return super().get_context_data(
            previous_item=older, next_item=newer, related=related_items(item), **kwargs
        )


@public_page(params=())
@require_safe
def tag_index(request: HttpRequest) -> HttpResponse:
    tags = Tag.objects.published_counts()
    return render(request, "content/tag_list.html", {"tags": tags, "section": "tags"})


@public_page()
@require_safe
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = Tag.objects.published_tag(slug)
    if tag is None:
        raise Http404("No published item has this tag")
    # The counts are those of the tag index (cached): the paginator need not count again.
    tagged = MixedList(lambda model: model.objects.published(), tag=tag, known_count=tag.item_count)
    page = paginate(request, tagged)
    return render(request, "content/tag_detail.html", {"tag": tag, "page_obj": page})
