from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from markdownx.models import MarkdownxField

from bookmarks.normalize import domain_of, normalize_url
from bookmarks.weeks import IsoWeek
from site_project.models import Publishable


class Bookmark(Publishable):
    """A link worth keeping; `title` is the linked page's title, `body` the commentary."""

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

    @property
    def published_week(self) -> IsoWeek:
        return IsoWeek.of(self.published_at)

    def clean(self) -> None:
        super().clean()
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
