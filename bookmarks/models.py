from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField

from bookmarks.fetch import fetch_page
from bookmarks.normalize import InvalidURL, domain_of, normalize_url
from bookmarks.weeks import IsoWeek
from content.home import Section
from content.models import Publishable
from content.querysets import PublishableQuerySet, Status

DASHBOARD_ITEMS = 30
# The home page shows the newest of this week's bookmarks and links the week's digest for the
# rest: a busy week (a hundred links) would otherwise make the home page a digest of its own.
HOME_BOOKMARKS = 10


class BookmarkQuerySet(PublishableQuerySet):
    def in_week(self, week: IsoWeek) -> BookmarkQuerySet:
        start, end = week.bounds()
        return self.filter(published_at__gte=start, published_at__lt=end)

    def saved_in_week(self, week: IsoWeek) -> BookmarkQuerySet:
        """The week's bookmarks as the author sees them: dated in it (published or scheduled),
        or drafts saved during it (a draft has no date yet)."""
        start, end = week.bounds()
        drafted = Q(status=Status.DRAFT, created_at__gte=start, created_at__lt=end)
        return self.filter(Q(published_at__gte=start, published_at__lt=end) | drafted)


class Bookmark(Publishable):
    """A link worth keeping; `title` is the linked page's title, `body` the commentary."""

    description = "Each link as it is saved, with its commentary."
    search_fields = ("excerpt", "domain")
    link_field = "url"
    card_extra_fields = ("domain",)
    fillable_fields = ("title", "excerpt")
    kind_aliases = ("link", "links")
    field_labels = {"title": "Link title", "body": "Commentary", "url": "URL"}
    capture_fields = ("url",)

    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="The page's own title. Leave blank to fetch it (and its description) from "
        "the page; if the page cannot be read, its address stands in.",
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
        if not self.url:
            return
        try:
            self.url = normalize_url(self.url)
        except InvalidURL as error:
            raise ValidationError({"url": str(error)}) from error
        limit = self._meta.get_field("url").max_length
        if len(self.url) > limit:
            raise ValidationError({"url": f"This URL is longer than {limit} characters."})
        if not self.title:
            # Captured by its URL alone: the address stands in until the author titles it.
            self.title = self.address_title()
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
        try:
            return normalize_url(value)
        except InvalidURL:
            return value.strip()  # matches nothing stored

    def slug_source(self) -> str:
        return self.title or domain_of(self.url)

    def address_title(self) -> str:
        """What stands in for a title the page did not give: the address, shortened."""
        try:
            url = normalize_url(self.url)
        except InvalidURL:
            url = self.url
        return url.split("://", 1)[-1].removeprefix("www.").rstrip("/")[:200]

    def fill_in(self) -> str:
        """A blank title and excerpt (the page's description) from the page itself; the
        address standing in for a title counts as blank."""
        if self.title == self.address_title():
            self.title = ""
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
    def home_section(cls) -> Section:
        """The newest `HOME_BOOKMARKS` of this week's bookmarks, and how many the week has
        (counted in the same scan, over the week's rows only)."""
        week = IsoWeek.of(timezone.now())
        return Section(
            cls.objects.published().in_week(week),
            fields=("url", "domain", "body_html"),
            limit=HOME_BOOKMARKS,
            with_tags=True,
            counted=True,
            context={"week": week},
        )

    @classmethod
    def dashboard_items(cls) -> dict:
        """This week's bookmarks, drafts included, for the weekly digest."""
        week = IsoWeek.of(timezone.now())
        saved = cls.objects.saved_in_week(week)
        counts = saved.aggregate(
            total=Count("pk"), drafts=Count("pk", filter=Q(status=Status.DRAFT))
        )
        items = saved.for_list(with_tags=False).order_by("-created_at", "-pk")[:DASHBOARD_ITEMS]
        return {"week": week, "bookmarks": items, **counts}
