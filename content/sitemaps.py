"""/sitemap.xml: every published item, the section pages, tags with content, archive periods."""

import datetime
from collections.abc import Callable
from functools import cached_property, partial

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from content.archives import month_counts
from content.models import Publishable, Tag, content_models


class SiteSitemap(Sitemap):
    """URLs on settings.SITE_URL, like feeds and canonical links, not on the request's host."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return settings.SITE_URL.split("://", 1)[0]

    def get_domain(self, site: object = None) -> str:
        return settings.SITE_URL.split("://", 1)[1]


class ContentSitemap(SiteSitemap):
    def __init__(self, model: type[Publishable]) -> None:
        self.model = model

    def items(self) -> QuerySet:
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Publishable) -> datetime.datetime:
        return item.updated_at


class SectionSitemap(SiteSitemap):
    def items(self) -> list[str]:
        indexes = [f"{model._meta.app_label}:index" for model in content_models()]
        return ["home", *indexes, "tag_index", "archive_index", "feeds"]

    def location(self, name: str) -> str:
        return reverse(name)


class TagSitemap(SiteSitemap):
    def items(self) -> list[Tag]:
        # The paginator asks twice per request; the counts are computed once.
        return self.tags

    @cached_property
    def tags(self) -> list[Tag]:
        return sorted(Tag.objects.published_counts(), key=lambda tag: tag.slug)


class ArchiveSitemap(SiteSitemap):
    """One URL per year and per month that has anything published, in the author's time zone."""

    def items(self) -> list[tuple[int, ...]]:
        months = set(month_counts())
        years = {(year,) for year, _ in months}
        return sorted(years | months)

    def location(self, period: tuple[int, ...]) -> str:
        return reverse("archive_year" if len(period) == 1 else "archive_month", args=period)


def sitemaps(kinds: list[type[Publishable]]) -> dict[str, Callable[[], Sitemap]]:
    """Factories, not instances: the sitemap view makes fresh ones for every request."""
    return {
        "sections": SectionSitemap,
        **{model._meta.app_label: partial(ContentSitemap, model) for model in kinds},
        "tags": TagSitemap,
        "archives": ArchiveSitemap,
    }
