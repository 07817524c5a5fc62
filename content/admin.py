"""The editor: one base admin shared by the four kinds, and the Tag admin."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from content.forms import PublishableForm
from content.models import Publishable, Status, Tag
from content.preview import preview_url
from content.signals import bulk_saved


class PublishableAdmin(admin.ModelAdmin):
    """Each kind's admin subclasses this and names only its own fields in `own_fields`."""

    own_fields: tuple[str, ...] = ()
    form = PublishableForm
    change_form_template = "admin/publishable_change_form.html"
    list_display = ["title", "status", "published_at", "tag_list"]
    list_filter = ["status", "tags", "published_at"]
    # Kept so the changelist shows its search box; get_search_results uses the index instead.
    search_fields = ["title"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["private_preview", "reading_time", "created_at", "updated_at"]
    actions = ["publish_now", "revert_to_draft"]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_per_page = 50

    class Media:
        css = {
            "all": ["css/prose.css", "css/admin.css"],
            "screen and (prefers-color-scheme: light)": ["css/code-light.css"],
            "screen and (prefers-color-scheme: dark)": ["css/code-dark.css"],
        }

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["title", "slug", *self.own_fields, "body", "tag_names", "excerpt"]}),
            ("Publishing", {"fields": ["status", "published_at", "private_preview"]}),
            ("Record", {"fields": ["reading_time", "created_at", "updated_at"]}),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).defer("body_html", "toc").prefetch_related("tags")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """The site's full-text index (websearch syntax), drafts included; blank: no filter."""
        if not search_term.strip():
            return queryset, False
        return queryset.matching(search_term), False

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        form.save_tags()

    @admin.display(description="Tags")
    def tag_list(self, obj: Publishable) -> str:
        return ", ".join(tag.name for tag in obj.tags.all())

    @admin.display(description="Private preview link")
    def private_preview(self, obj: Publishable) -> str:
        if not obj.pk:
            return "Available once saved."
        if obj.is_published:
            return "Published: the item is public."
        return format_html(
            '<a href="{}">Preview as readers will see it</a> — works without login; '
            "changing the slug or publishing ends it.",
            preview_url(obj),
        )

    def view_on_site(self, obj: Publishable) -> str:
        return obj.get_absolute_url() if obj.is_published else preview_url(obj)

    @admin.action(description="Publish now")
    def publish_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        now = timezone.now()
        count = self._update(queryset, status=Status.PUBLISHED, published_at=now, updated_at=now)
        self.message_user(request, f"Published {count} item(s).", messages.SUCCESS)

    @admin.action(description="Revert to draft")
    def revert_to_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._update(queryset, status=Status.DRAFT, updated_at=timezone.now())
        self.message_user(request, f"Reverted {count} item(s) to draft.", messages.SUCCESS)

    def _update(self, queryset: QuerySet, **fields) -> int:
        """One UPDATE for the selection; it sends no model signals, so it announces itself."""
        pks = list(queryset.values_list("pk", flat=True))
        count = self.model.objects.filter(pk__in=pks).update(**fields)
        bulk_saved.send(sender=self.model, pks=pks)
        return count


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "item_count", "counts_by_kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_counts()

    @admin.display(description="Items", ordering="item_count")
    def item_count(self, tag: Tag) -> int:
        return tag.item_count

    @admin.display(description="By kind")
    def counts_by_kind(self, tag: Tag) -> str:
        return " · ".join(f"{label} {count}" for label, count in tag.counts.items())
