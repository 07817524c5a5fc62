"""`Tag`: one table of topics shared by every kind."""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.db.models.functions import Coalesce, Lower

from content.models.publishable import content_models
from content.models.version import ContentVersion
from content.models.versioned import Versioned
from content.querysets import union_all
from content.slugs import slug_url, unique_slug

# Counting every published item's tags takes ~0.15 s at 100k items, so it is done once per
# content version; the key changes with any change, so a day is only a backstop.
TAG_COUNTS_SECONDS = 86400


def count_name(model: type[models.Model]) -> str:
    """The attribute holding a tag's count of `model` items: `posts_count`."""
    return f"{model._meta.app_label}_count"


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
            annotations[count_name(model)] = Coalesce(models.Subquery(links), 0)
        total = sum((models.F(name) for name in annotations), models.Value(0))
        return self.annotate(**annotations).annotate(item_count=total)

    def published_counts(self) -> list[Tag]:
        """Tags in use by published items, most used first, with `<app>_count` and
        `item_count`: what readers may know of tags. Counted once per content version."""
        return [self._tag(row) for row in self._counted()]

    def published_tag(self, slug: str) -> Tag | None:
        """The tag with `slug`, with its counts, if published items carry it: a tag only drafts
        carry is not for readers to see, even by name. From the cached counts: no query."""
        return next((self._tag(row) for row in self._counted() if row[2] == slug), None)

    def _counted(self) -> list[tuple]:
        # Plain tuples: unpickling hundreds of model instances cost a tag page 3 ms.
        key = f"tag-counts:{ContentVersion.current().key}"
        return cache.get_or_set(key, self._count_published, TAG_COUNTS_SECONDS)

    @staticmethod
    def _tag(row: tuple) -> Tag:
        pk, name, slug, description, counts = row
        tag = Tag(pk=pk, name=name, slug=slug, description=description)
        for model in content_models():
            setattr(tag, count_name(model), counts.get(count_name(model), 0))
        tag.item_count = sum(counts.values())
        return tag

    def _count_published(self) -> list[tuple]:
        """One query: a grouped count per kind over published items, in one UNION ALL (hash
        joins, where per-tag subqueries would probe the links once per tag), each part
        carrying the tag's own columns. (pk, name, slug, description, {kind: count}) rows."""
        fields = ("tag_id", "tag__name", "tag__slug", "tag__description")
        parts = []
        for model in content_models():
            column = model.tags.field.m2m_column_name()
            published = model.objects.published().values("pk")
            parts.append(
                model.tags.through.objects.filter(**{f"{column}__in": published})
                .annotate(kind=models.Value(count_name(model)))
                .values("kind", *fields)
                .annotate(n=models.Count("*"))
                .values_list("kind", *fields, "n")
            )
        rows: dict[int, tuple] = {}
        for kind, pk, name, slug, description, n in union_all(parts):
            rows.setdefault(pk, (pk, name, slug, description, {}))[4][kind] = n
        return sorted(rows.values(), key=lambda row: (-sum(row[4].values()), row[1].casefold()))

    def resolve(self, names: list[str]) -> list[Tag]:
        """Existing tags matched case-insensitively; missing ones created."""
        tags = []
        for name in names:
            tag = self.filter(name__iexact=name).first()
            if tag is None:
                tag = self.create(name=name, slug=unique_slug(Tag, name))
            tags.append(tag)
        return tags


class Tag(Versioned):
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
        return slug_url("tag_detail", self.slug)

    @property
    def counts(self) -> dict[str, int]:
        """Per-kind counts, from `with_counts()` or `published_counts()`."""
        return {
            m._meta.verbose_name_plural: getattr(self, count_name(m), 0) for m in content_models()
        }
