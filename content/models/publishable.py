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

from content.home import Section
from content.markdown import excerpt_of, render
from content.models.versioned import Versioned
from content.querysets import PublishableQuerySet, Status
from content.slugs import slug_url, unique_slug

# Fields whose saved value `save()` compares with the new one.
TRACKED = ("slug", "body", "excerpt", "status")
# Written by every save, even one limited to a few fields.
STATE_FIELDS = ("status_changed_at", "version", "updated_at")


class Publishable(Versioned):
    """Fields and behaviour shared by posts, notes, learnings and bookmarks.

    A kind answers what shared code needs to know about it through the class attributes and
    members below, so that no shared code ever asks which kind it holds.
    """

    # One line about the kind, for its section page and its feed.
    description: ClassVar[str] = ""
    # The plain-text field that lists, cards and feeds show under the title.
    summary_field: ClassVar[str] = "excerpt"
    # What a mixed list's card shows besides the summary (a bookmark's domain): `content.mixed`.
    card_extra_fields: ClassVar[tuple[str, ...]] = ()
    # The fields weighted B in the search document, after the tag names.
    search_fields: ClassVar[tuple[str, ...]] = ("excerpt",)
    # For a kind made of links (bookmarks), the field holding the link: one item per link, so
    # the API upserts and filters on it, and `import_markdown --split-links` makes such items.
    link_field: ClassVar[str | None] = None
    # Fields `fill_in()` can fill when the author leaves them blank.
    fillable_fields: ClassVar[tuple[str, ...]] = ()
    # Other names of the kind in imported files (Jekyll layouts, Hugo sections, folders).
    kind_aliases: ClassVar[tuple[str, ...]] = ()
    # How the editor names the shared fields for this kind (a learning's title is its question).
    field_labels: ClassVar[dict[str, str]] = {}
    # The fields of the dashboard's quick-capture form; none: the kind has no such form.
    capture_fields: ClassVar[tuple[str, ...]] = ()

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
    status_changed_at = models.DateTimeField(
        null=True,
        editable=False,
        help_text="When the status last changed: private preview links made before are dead.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reading_time = models.PositiveSmallIntegerField(default=1, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
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
            # Lists walk it backwards by (published_at, id); walks picking only ids (mixed
            # lists, related items, neighbours) skip the wide rows. updated_at: for sitemaps.
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
            self.slug = unique_slug(type(self), self.slug_source(), exclude_pk=self.pk)
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.status_changed_at is None or self.status != self._saved_status:
            self.status_changed_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.render_body()
        super().save(*args, **kwargs)
        self._leave_redirect()
        self._saved = {field: getattr(self, field) for field in TRACKED}

    def get_absolute_url(self) -> str:
        return self.url_for_slug(self.slug)

    @property
    def _saved_status(self) -> str | None:
        return getattr(self, "_saved", {}).get("status", self.status)

    # Publishing ---------------------------------------------------------------------------

    def publish_now(self) -> bool:
        """Published from now on; an existing past publication date is kept (only a missing
        or future one becomes now). Saves and says whether anything changed."""
        now = timezone.now()
        if self.status == Status.PUBLISHED and self.published_at and self.published_at <= now:
            return False
        self.status = Status.PUBLISHED
        if self.published_at is None or self.published_at > now:
            self.published_at = now
        self.save(update_fields=["status", "published_at", *STATE_FIELDS])
        return True

    def revert_to_draft(self) -> bool:
        """Back to draft, its publication date kept; preview links made before are dead."""
        if self.status == Status.DRAFT:
            return False
        self.status = Status.DRAFT
        self.save(update_fields=["status", *STATE_FIELDS])
        return True

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

    # What the author's tools ask --------------------------------------------------------

    @classmethod
    def own_fields(cls) -> list[str]:
        """The kind's own editable fields (a post's summary, a bookmark's URL), in order."""
        shared = {field.name for field in Publishable._meta.get_fields()}
        return [
            f.name
            for f in cls._meta.concrete_fields
            if f.editable and not f.primary_key and f.name not in shared
        ]

    @classmethod
    def link_key(cls, value: str) -> str:
        """The stored form of a `link_field` value, to look an item up by."""
        return value

    def slug_source(self) -> str:
        """The text a blank slug is made from."""
        return self.title

    def fill_in(self) -> str:
        """Fill blank `fillable_fields` from elsewhere; say what went wrong, or ''."""
        return ""

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
    def is_scheduled(self) -> bool:
        """Published with a time still to come (see `PublishableQuerySet.scheduled()`)."""
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
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
    def home_section(cls) -> Section:
        """What the home page shows of this kind (its `<app>/_home.html` displays it)."""
        return Section(cls.objects.published(), fields=(cls.summary_field, "reading_time"))

    @classmethod
    def dashboard_items(cls) -> object:
        """What the editor's dashboard shows of this kind besides the shared lists, through
        `admin/<app>/_dashboard.html`; None: nothing."""
        return None

    # Keeping the stored columns -------------------------------------------------------------

    def render_body(self) -> None:
        """Render Markdown into the stored columns; templates only print them."""
        saved = getattr(self, "_saved", {})
        rendered = render(self.body)
        # An excerpt derived from the old body follows the new one; one the author typed stays.
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
        self.word_count = rendered.word_count
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
