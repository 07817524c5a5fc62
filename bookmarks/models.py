from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField

from bookmarks.fetch import fetch_page
from bookmarks.normalize import domain_of, normalize_url
from bookmarks.weeks import IsoWeek
from content.models import Publishable, Status
from content.querysets import PublishableQuerySet


class BookmarkQuerySet(PublishableQuerySet):
    def in_week(self, week: IsoWeek) -> BookmarkQuerySet:
        start, end = week.bounds()
        return self.filter(published_at__gte=start, published_at__lt=end)


class Bookmark(Publishable):
    """A link worth keeping; `title` is the linked page's title, `body` the commentary."""

    description = "Each link as it is saved, with its commentary."
    search_fields = ("excerpt", "domain")
    link_field = "url"
    fillable_fields = ("title", "excerpt")
    kind_aliases = ("link", "links")

    title = models.CharField(
        "link title",
        max_length=200,
        blank=True,
        help_text="The page's own title. Leave blank to fetch it (and its description) from "
        "the page; a draft may stay untitled, a published bookmark needs one.",
    )
    body = MarkdownxField(blank=True, help_text="Your commentary, in Markdown (optional).")
    url = models.URLField(
        max_length=2000,
        help_text="The page, e.g. https://www.postgresql.org/docs/current/textsearch.html. "
        "Tracking parameters (utm_…) and #fragments are dropped.",
    )
    via_url = models.URLField(
        "via", max_length=2000, blank=True, help_text="Where you found it (optional)."
    )
    domain = models.CharField(max_length=255, editable=False, default="")

    objects = BookmarkQuerySet.as_manager()

    class Meta(Publishable.Meta):
        verbose_name = "bookmark"
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(fields=["url"], name="%(app_label)s_%(class)s_unique_url"),
        ]

    def save(self, *args, **kwargs) -> None:
        self.url = normalize_url(self.url)
        self.domain = domain_of(self.url)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.status == Status.PUBLISHED and not self.title.strip():
            raise ValidationError({"title": "A published bookmark needs a title."})
        if not self.url:
            return
        self.url = normalize_url(self.url)
        existing = Bookmark.objects.filter(url=self.url).exclude(pk=self.pk).first()
        if existing:
            link = reverse("admin:bookmarks_bookmark_change", args=[existing.pk])
            raise ValidationError(
                {
                    "url": format_html(
                        'This URL is already bookmarked as <a href="{}">“{}”</a>.',
                        link,
                        existing.title,
                    )
                }
            )

    @classmethod
    def link_key(cls, value: str) -> str:
        return normalize_url(value)

    def slug_source(self) -> str:
        return self.title or domain_of(normalize_url(self.url))

    def fill_in(self) -> str:
        """A blank title and excerpt (the page's description) from the page itself."""
        if self.title and self.excerpt:
            return ""
        page = fetch_page(self.url)
        if page.error and not page.title:
            return f"The page's title could not be fetched: {page.error}."
        self.title = self.title or page.title
        self.excerpt = self.excerpt or page.description
        return ""

    @property
    def published_week(self) -> IsoWeek:
        return IsoWeek.of(self.published_at)

    @property
    def outbound_url(self) -> str:
        return self.url

    @property
    def link_domain(self) -> str:
        return self.domain

    def feed_header_html(self) -> str:
        """The link and its domain, before the commentary: a bookmark as feed readers show it."""
        domain = format_html(" ({})", self.domain) if self.domain else ""
        return format_html('<p><a href="{}">{}</a>{}</p>', self.url, self.title, domain)

    @classmethod
    def home_items(cls) -> dict:
        """This week's bookmarks, newest first."""
        week = IsoWeek.of(timezone.now())
        items = cls.objects.published().in_week(week).for_list(with_html=True)
        return {"week": week, "bookmarks": items.order_by("-published_at")}
