"""Generic views shared by the four kinds. Each app's views are a few lines on top."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.views.generic import DetailView, ListView

from site_project.models import Publishable, content_models

RELATED_ITEMS = 5


def paginate(request: HttpRequest, items, per_page: int = settings.PAGE_SIZE) -> Page:
    """One page of `items`; ?page=abc, -1 or 999999 is a 404, never a 500."""
    try:
        return Paginator(items, per_page).page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404(str(error)) from error


class PublishedMixin:
    """Readers only ever reach published items, whatever the view."""

    model: type[Publishable]

    def get_queryset(self) -> QuerySet:
        return self.model.objects.published()


class ContentListView(PublishedMixin, ListView):
    paginate_by = settings.PAGE_SIZE
    # Django's paginator answers 404 for ?page=abc, ?page=-1 and ?page=999999.
    allow_empty = True

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().for_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.model._meta.app_label, **kwargs)


class ContentDetailView(PublishedMixin, DetailView):
    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("tags")

    def get_context_data(self, **kwargs):
        item = self.object
        published = self.model.objects.published().only("title", "slug", "published_at")
        newer = published.filter(published_at__gt=item.published_at).order_by("published_at")
        older = published.filter(published_at__lt=item.published_at).order_by("-published_at")
        return super().get_context_data(
            section=self.model._meta.app_label,
            previous_item=older.first(),
            next_item=newer.first(),
            related=related_items(item),
            **kwargs,
        )


def related_items(item: Publishable, limit: int = RELATED_ITEMS) -> list[Publishable]:
    """Up to `limit` items of any kind, ranked by tags shared with `item`, then recency."""
    tag_ids = [tag.pk for tag in item.tags.all()]
    if not tag_ids:
        return []
    candidates = []
    for model in content_models():
        queryset = (
            model.objects.published()
            .filter(tags__in=tag_ids)
            .annotate(shared=Count("tags"))
            .only("title", "slug", "published_at")
            .order_by("-shared", "-published_at")
        )
        if model is type(item):
            queryset = queryset.exclude(pk=item.pk)
        candidates.extend(queryset[:limit])
    candidates.sort(key=lambda c: (c.shared, c.published_at), reverse=True)
    return candidates[:limit]
