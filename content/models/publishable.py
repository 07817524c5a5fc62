"""`Publishable`: the abstract base of the four kinds, and the one list of kinds."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import ClassVar

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.db import models
from django.utils import timezone
from markdownx.models import MarkdownxField

from content.markdown import excerpt_of, render
from content.querysets import PublishableQuerySet, Status
from content.slugs import slug_url, unique_slug

# Fields whose saved value `save()` compares with the new one.
TRACKED = ("slug", "body", "excerpt", "status")
HOME_ITEMS = 5


class Publishable(models.Model):
    """Fields and behaviour shared by posts, notes, learnings and bookmarks.

    A kind answers what shared code needs to know about it through the class attributes and
    members below, so that no shared code ever asks which kind it holds.
    """

    # One line about the kind, for its section page and its feed.
    description: ClassVar[str] = ""
    # The plain-text field that lists, cards and feeds show under the title.
    summary_field: ClassVar[str] = "excerpt"
    # The fields weighted B in the search document, after the tag names.
    search_fields: ClassVar[tuple[str, ...]] = ("excerpt",)

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        blank=True,
        help_text="The URL's last part. Leave blank to make it from the title. Changing it on "
        "a published item keeps the old URL working (301).",
    )
    body = MarkdownxField(
        help_text="Markdown: GitHub tables and task lists, ```python fenced code, "
        "$inline$ and $$display$$ LaTeX, footnotes[^1]."
    )
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    render_warnings = models.JSONField(editable=False, default=list)
    excerpt = models.TextField(
        blank=True,
        help_text="Plain text for lists, cards and feeds. Leave blank to use the first paragraph.",
    )
    tags = models.ManyToManyField("site_project.Tag", blank=True, related_name="%(app_label)s")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Set on first publish. A future time schedules the item: it appears then.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reading_time = models.PositiveSmallIntegerField(default=1, editable=False)
    # The weighted full-text document. It includes tag names, which live in another table,
    # so the search app keeps it (through signals) rather than PostgreSQL generating it.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="%(app_label)s_%(class)s_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=Status.DRAFT) | models.Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_date",
            ),
        ]
        indexes = [
            # Lists order by (published_at, id) and walk this index backwards; with the id in
            # the key, a walk that only picks ids (mixed lists, related items, neighbours)
            # never reads the table's wide rows. updated_at rides along for sitemaps.
            models.Index(
                fields=["status", "published_at", "id"],
                name="%(class)s_pub_idx",
                include=["updated_at"],
            ),
            GinIndex(fields=["search_vector"], name="%(class)s_search_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(type(self), self.title, exclude_pk=self.pk)
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.render_body()
        super().save(*args, **kwargs)
        self._leave_redirect()
        self._saved = {field: getattr(self, field) for field in TRACKED}

    def get_absolute_url(self) -> str:
        return self.url_for_slug(self.slug)

    def clean(self) -> None:
        # Set before validation, so the "published items have a date" constraint holds.
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # What was saved, so save() can tell a changed slug or body from an unchanged one.
        instance._saved = {f: getattr(instance, f) for f in TRACKED if f in field_names}
        return instance

    # What readers see ---------------------------------------------------------------------

    def url_for_slug(self, slug: str) -> str:
        return slug_url(f"{self._meta.app_label}:detail", slug)

    @property
    def kind(self) -> str:
        return self._meta.verbose_name

    @property
    def is_published(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def published_day(self) -> datetime.date:
        """The day it was published on, in the author's time zone."""
        return timezone.localdate(self.published_at)

    @property
    def summary_text(self) -> str:
        return getattr(self, self.summary_field)

    @property
    def outbound_url(self) -> str:
        """Where the item points readers to, when that is not its own page (a bookmark)."""
        return ""

    @property
    def link_domain(self) -> str:
        """The domain of `outbound_url`, shown beside the title in lists."""
        return ""

    def feed_header_html(self) -> str:
        """HTML (with absolute URLs) that feeds show before the body."""
        return ""

    def feed_footer_html(self) -> str:
        """HTML (with absolute URLs) that feeds show after the body."""
        return ""

    @cached_property
    def tag_list(self) -> list:
        """Its tags, by name. Lists set it for all their items at once (`content.mixed`)."""
        return list(self.tags.all())

    @classmethod
    def home_items(cls) -> object:
        """What the home page shows of this kind (its `<app>/_home.html` displays it)."""
        return cls.objects.published().for_list(with_tags=False)[:HOME_ITEMS]

    # Keeping the stored columns -------------------------------------------------------------

    def render_body(self) -> None:
        """Render Markdown into the stored columns; templates only print them."""
        saved = getattr(self, "_saved", {})
        rendered = render(self.body)
        # An excerpt that was derived from the old body follows the new one; one the author
        # typed stays.
        auto_excerpt = not self.excerpt or (
            "body" in saved
            and saved["body"] != self.body
            and self.excerpt == saved.get("excerpt")
            and self.excerpt == excerpt_of(saved["body"])
        )
        self.body_html = rendered.html
        self.toc = [{"level": h.level, "text": h.text, "id": h.id} for h in rendered.toc]
        self.render_warnings = list(rendered.warnings)
        self.reading_time = rendered.reading_time
        if auto_excerpt:
            self.excerpt = rendered.excerpt

    def _leave_redirect(self) -> None:
        """A published item's old URL answers 301 to the new one (django.contrib.redirects)."""
        saved = getattr(self, "_saved", {})
        old_slug = saved.get("slug")
        if not old_slug or old_slug == self.slug or saved.get("status") != Status.PUBLISHED:
            return
        site = Site.objects.get_current()
        old_path, new_path = self.url_for_slug(old_slug), self.get_absolute_url()
        # Earlier redirects follow along, so there are no chains; none may shadow the new URL.
        Redirect.objects.filter(site=site, new_path=old_path).update(new_path=new_path)
        Redirect.objects.filter(site=site, old_path=new_path).delete()
        Redirect.objects.update_or_create(
            site=site, old_path=old_path, defaults={"new_path": new_path}
        )


def content_models() -> list[type[Publishable]]:
    """The kinds, in the order of INSTALLED_APPS. The one list of kinds."""
    return [model for model in apps.get_models() if issubclass(model, Publishable)]


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
