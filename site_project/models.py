"""The shared content model: `Tag`, and `Publishable`, the abstract base of all four kinds."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from site_project.markdown import render
from site_project.naming import unique_slug
from site_project.queries import union_all


class TagQuerySet(models.QuerySet):
    def with_counts(self) -> TagQuerySet:
        """Annotate `<app>_count` per kind (drafts included) and `item_count`, for the admin.

        Counted on the link tables alone (index-only scans), one subquery per kind: joining
        all four many-to-many tables at once would multiply rows.
        """
        annotations = {}
        for model in content_models():
            links = (
                model.tags.through.objects.filter(tag=models.OuterRef("pk"))
                .order_by()
                .values("tag")
                .annotate(n=models.Count("*"))
                .values("n")
            )
            annotations[f"{model._meta.app_label}_count"] = Coalesce(models.Subquery(links), 0)
        total = sum((models.F(name) for name in annotations), models.Value(0))
        return self.annotate(**annotations).annotate(item_count=total)

    def published_counts(self) -> list[Tag]:
        """Tags in use by published items, most used first, with the same count attributes.

        Two queries: one grouped count per kind over published items, in one UNION ALL (hash
        joins, where per-tag subqueries would probe the links once per tag: seconds at 100k
        items), then the tags themselves.
        """
        parts = []
        for model in content_models():
            column = model.tags.field.m2m_column_name()
            published = model.objects.published().values("pk")
            parts.append(
                model.tags.through.objects.filter(**{f"{column}__in": published})
                .annotate(kind=models.Value(f"{model._meta.app_label}_count"))
                .values("kind", "tag_id")
                .annotate(n=models.Count("*"))
                .values_list("kind", "tag_id", "n")
            )
        counts: dict[int, dict[str, int]] = {}
        for kind, tag_id, n in union_all(parts):
            counts.setdefault(tag_id, {})[kind] = n
        tags = list(self.filter(pk__in=counts))
        for tag in tags:
            for model in content_models():
                name = f"{model._meta.app_label}_count"
                setattr(tag, name, counts[tag.pk].get(name, 0))
            tag.item_count = sum(counts[tag.pk].values())
        return sorted(tags, key=lambda tag: (-tag.item_count, tag.name.casefold()))

    def resolve(self, names: list[str]) -> list[Tag]:
        """Existing tags matched case-insensitively; missing ones created."""
        tags = []
        for name in names:
            tag = self.filter(name__iexact=name).first()
            if tag is None:
                tag = self.create(name=name, slug=unique_slug(Tag, name))
            tags.append(tag)
        return tags


class Tag(models.Model):
    name = models.CharField(max_length=60, help_text="As readers see it, e.g. “PostgreSQL”.")
    slug = models.SlugField(max_length=70, unique=True, help_text="In the URL: /tags/postgresql/")
    description = models.CharField(
        max_length=300, blank=True, help_text="One line shown on the tag's page."
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="%(app_label)s_%(class)s_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tag_detail", kwargs={"slug": self.slug})

    @property
    def counts(self) -> dict[str, int]:
        """Per-kind counts, from `with_counts()`."""
        return {
            m._meta.verbose_name_plural: getattr(self, f"{m._meta.app_label}_count", 0)
            for m in content_models()
        }


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self) -> PublishableQuerySet:
        """What a reader may see. The only place this rule is written.

        A future `published_at` is a scheduled item: it appears when its time comes.
        """
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def for_list(self, with_html: bool = False) -> PublishableQuerySet:
        """Lists load only what they show: never the source, the HTML only when asked."""
        heavy = ["body", "toc", "render_warnings", "search_vector"]
        heavy += [] if with_html else ["body_html"]
        return self.defer(*heavy).prefetch_related("tags")


class Publishable(models.Model):
    """Fields and behaviour shared by posts, notes, learnings and bookmarks."""

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
    tags = models.ManyToManyField(Tag, blank=True, related_name="%(app_label)s")
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
    # Weighted full-text document (site_project/search.py); it includes tag names, so it is
    # refreshed after save and after tag changes rather than being a generated column.
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
            # updated_at rides along so the cheap "what changed" aggregates (feed
            # validators, cache keys) can be index-only scans.
            models.Index(
                fields=["status", "published_at"], name="%(class)s_pub_idx", include=["updated_at"]
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
        self._saved = {f: getattr(self, f) for f in ("slug", "body", "excerpt", "status")}
        from site_project.search import index_item  # search.py imports this module

        index_item(self)

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
        instance._saved = {
            f: getattr(instance, f)
            for f in ("slug", "body", "excerpt", "status")
            if f in field_names
        }
        return instance

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
    def kind(self) -> str:
        return self._meta.verbose_name

    def url_for_slug(self, slug: str) -> str:
        return reverse(f"{self._meta.app_label}:detail", kwargs={"slug": slug})

    def render_body(self) -> None:
        """Render Markdown into the stored columns; templates only print them."""
        saved = getattr(self, "_saved", {})
        rendered = render(self.body)
        auto_excerpt = not self.excerpt or (
            "body" in saved
            and saved["body"] != self.body
            and self.excerpt == saved.get("excerpt")
            and self.excerpt == render(saved["body"]).excerpt
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
    """The four kinds, in the order the site lists them. The one list of kinds."""
    order = ["posts", "notes", "learnings", "bookmarks"]
    found = [m for m in apps.get_models() if issubclass(m, Publishable)]
    return sorted(found, key=lambda m: order.index(m._meta.app_label))


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
