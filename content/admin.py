"""The editor: one base admin shared by the four kinds, and the Tag admin."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import dateformat, timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from content.forms import PublishableForm, TagForm
from content.history import revision
from content.history.admin import HistoryAdminMixin
from content.models import Publishable, Tag
from content.preview import PREVIEW_DAYS, preview_url


class StatusFilter(admin.SimpleListFilter):
    """Draft, scheduled or published (live): the three states an author thinks in."""

    title = "status"
    parameter_name = "state"

    states = {
        "draft": ("Draft", lambda items: items.drafts()),
        "scheduled": ("Scheduled", lambda items: items.scheduled()),
        "published": ("Published", lambda items: items.published()),
    }

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        return [(value, label) for value, (label, _) in self.states.items()]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() in self.states:
            return self.states[self.value()][1](queryset)
        return queryset


class YearFilter(admin.SimpleListFilter):
    """The years this kind has items in (by publication date, in the author's time zone)."""

    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        years = model_admin.get_queryset(request).datetimes("published_at", "year", "DESC")
        return [(str(moment.year), str(moment.year)) for moment in years]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() is None:
            return queryset
        if not self.value().isdigit() or not 1 <= int(self.value()) <= 9999:
            raise IncorrectLookupParameters(f"Not a year: {self.value()!r}")
        return queryset.filter(published_at__year=int(self.value()))


class EditorWidget(AdminMarkdownxWidget):
    """markdownx's editor, with what its live preview needs to look like the published page
    (only where the editor is: preview.css styles bare tables, which the change lists have)."""

    class Media:
        # The published page's prose rules and both code themes (`manage.py build_code_css`).
        css = {"all": ["css/preview.css"]}


class TagFilter(admin.RelatedOnlyFieldListFilter):
    """The tags this kind uses, and the items with none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = "No tags"


class PublishableAdmin(HistoryAdminMixin, admin.ModelAdmin):
    """Each kind's admin subclasses this and names only what is its own.

    The form reads as it is written: (the kind's `lead_fields`), title, body, tags; then the
    kind's `own_fields` and the excerpt; then publishing; then the record.
    """

    lead_fields: tuple[str, ...] = ()
    own_fields: tuple[str, ...] = ()
    # Reading time is shown to readers of posts and notes only; elsewhere it is noise.
    show_reading_time = True
    form = PublishableForm
    change_form_template = "admin/publishable_change_form.html"
    list_display = ["title", "state", "publication", "tag_list", "words"]
    list_filter = [StatusFilter, ("tags", TagFilter), YearFilter]
    # Kept so the changelist shows its search box; get_search_results uses the index instead.
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["private_preview", "word_count", "reading_time", "created_at", "updated_at"]
    actions = ["publish_now", "revert_to_draft"]
    formfield_overrides = {MarkdownxField: {"widget": EditorWidget}}
    list_per_page = 50

    class Media:
        # On the change lists too: a save that lands there clears the text kept while typing.
        # (css/admin.css comes with every admin page: templates/admin/base_site.html.)
        js = ["js/editor.js"]

    def get_fieldsets(self, request, obj=None):
        record = ["word_count", "reading_time"] if self.show_reading_time else ["word_count"]
        return [
            (None, {"fields": [*self.lead_fields, "title", "body", "tag_names"]}),
            ("Details", {"fields": [*self.own_fields, "excerpt"]}),
            ("Publishing", {"fields": ["status", "published_at", "slug", "private_preview"]}),
            ("Record", {"fields": [*record, "created_at", "updated_at"]}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("labels", self.model.field_labels or None)
        return super().get_form(request, obj, change, **kwargs)

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

    @admin.display(description="Status", ordering="status")
    def state(self, obj: Publishable) -> str:
        return format_html(
            '<span class="badge badge-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description="Publication", ordering="published_at")
    def publication(self, obj: Publishable) -> str:
        if obj.published_at is None:
            return "—"
        # In the author's time zone (TIME_ZONE), as everywhere in the admin; the time of day
        # matters for what is still to come.
        moment = timezone.localtime(obj.published_at)
        if not obj.is_scheduled:
            return format_html(
                '<time datetime="{}" title="{}">{}</time>',
                moment.isoformat(),
                dateformat.format(moment, "j M Y, H:i T"),
                dateformat.format(moment, "j M Y"),
            )
        return format_html(
            '<time datetime="{}">{}</time> <span class="badge badge-scheduled">scheduled</span>',
            moment.isoformat(),
            dateformat.format(moment, "j M Y, H:i"),
        )

    @admin.display(description="Tags")
    def tag_list(self, obj: Publishable) -> str:
        return ", ".join(tag.name for tag in obj.tags.all())

    @admin.display(description="Words", ordering="word_count")
    def words(self, obj: Publishable) -> str:
        return f"{obj.word_count:,}"

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
