"""The editor: one base admin shared by the four kinds, and the Tag admin."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from content.forms import PublishableForm, TagForm
from content.history import revision
from content.history.admin import HistoryAdminMixin
from content.models import Publishable, Tag
from content.preview import PREVIEW_DAYS, preview_url


class PublishableAdmin(HistoryAdminMixin, admin.ModelAdmin):
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
            '<a href="{}">Preview as readers will see it</a> — works without login for {} '
            "days; changing the slug, publishing or reverting to draft ends it.",
            preview_url(obj),
            PREVIEW_DAYS,
        )

    def view_on_site(self, obj: Publishable) -> str:
        return obj.get_absolute_url() if obj.is_published else preview_url(obj)

    @admin.action(description="Publish now")
    def publish_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._each_locked(request, queryset, Publishable.publish_now, "Published now")
        self.message_user(request, f"Published {count} item(s).", messages.SUCCESS)

    @admin.action(description="Revert to draft")
    def revert_to_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._each_locked(request, queryset, Publishable.revert_to_draft, "To draft")
        self.message_user(request, f"Reverted {count} item(s) to draft.", messages.SUCCESS)

    def _each_locked(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        change: Callable[[Publishable], bool],
        comment: str,
    ) -> int:
        """`change` on each selected item, read afresh under a row lock, so an edit saved
        meanwhile is kept; it moves the version on, so a form open on it conflicts."""
        with revision(f"{comment} (admin action)", request.user):
            items = self.model.objects.select_for_update().filter(pk__in=queryset.values("pk"))
            return sum(change(item) for item in items)


@admin.register(Tag)
class TagAdmin(HistoryAdminMixin, admin.ModelAdmin):
    form = TagForm
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
