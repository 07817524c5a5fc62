"""The bookmark editor: a Fetch button that fills the title and description
from the page, actions to fetch titles and compose "Weekly notes", and the bookmarklet."""

from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from bookmarks.digest import compose, digest_kind
from bookmarks.models import Bookmark
from bookmarks.weeks import IsoWeek
from content.admin import PublishableAdmin
from content.forms import PublishableForm

SESSION_KEY = "bookmark-form"
FETCH_AT_ONCE = 20
# Runs on the visited page, not ours: it only opens our add form with the page's URL, title
# and selected text (quoted, as commentary) in the query string, so our side needs no script.
BOOKMARKLET = (
    "javascript:(()=>{{const d=document,s=String(getSelection()).trim().slice(0,2000),"
    "p=new URLSearchParams({{url:location.href,title:d.title}});"
    "if(s)p.set('body',s.split('\\n').map(l=>'> '+l).join('\\n'));"
    "const u='{add}?'+p;window.open(u,'bookmark','width=800,height=760')||(location.href=u)}})()"
)


class FetchURLInput(AdminURLFieldWidget):
    """The add form's link, then its Fetch button: after the input, so that the link keeps
    the form's first focus."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        return super().render(name, value, attrs, renderer) + format_html(
            '<span class="fetch-bar"><button type="submit" class="button" formaction="{}" '
            'formnovalidate name="_fetch" value="1">Fetch title and description</button> '
            "from the page (a blank title is also fetched on save). From any page, the "
            '<a href="{}">bookmarklet</a> opens this form filled in.</span>',
            reverse("admin:bookmarks_fetch"),
            reverse("admin_bookmarklet"),
        )


class BookmarkForm(PublishableForm):
    """The title (and description) left blank are fetched from the page on save."""

    def clean(self) -> dict:
        data = super().clean()
        self.fetch_note = ""
        if data.get("url") and not data.get("title"):
            probe = Bookmark(url=data["url"], excerpt=data.get("excerpt", ""))
            self.fetch_note = probe.fill_in()
            data["title"], data["excerpt"] = probe.title, probe.excerpt
        return data


@admin.register(Bookmark)
class BookmarkAdmin(PublishableAdmin):
    form = BookmarkForm
    # The address comes first: it is what the author has in hand.
    lead_fields = ("url",)
    own_fields = ("via_url",)
    show_reading_time = False
    list_display = ["title", "domain", *PublishableAdmin.list_display[1:]]
    search_fields = ["title", "body", "url"]
    actions = [*PublishableAdmin.actions, "fetch_titles", "compose_weekly"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None and "url" in form.base_fields:
            form.base_fields["url"].widget = FetchURLInput()
        return form

    def get_urls(self):
        fetch = path("fetch/", self.admin_site.admin_view(self.fetch_view), name="bookmarks_fetch")
        week = path(
            "compose-week/",
            self.admin_site.admin_view(self.compose_week_view),
            name="bookmarks_compose_week",
        )
        return [fetch, week, *super().get_urls()]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        """The bookmarklet landing on a link already saved opens that bookmark instead."""
        link = request.GET.get("url", "")
        if request.method == "GET" and link:
            existing = Bookmark.objects.filter(url=Bookmark.link_key(link)).first()
            if existing is not None:
                self.message_user(request, "This link is already bookmarked.", messages.INFO)
                return redirect("admin:bookmarks_bookmark_change", existing.pk)
        return super().add_view(request, form_url, extra_context)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        if "fetched" in request.GET:
            initial.update(request.session.pop(SESSION_KEY, {}))
        return initial

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if getattr(form, "fetch_note", ""):
            self.message_user(request, f"{form.fetch_note} Saved as it is.", messages.WARNING)

    def fetch_view(self, request: HttpRequest) -> HttpResponse:
        """The add form's Fetch button: fill a blank title and description from the page,
        then show the form again with everything typed so far (kept in the session)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        add = reverse("admin:bookmarks_bookmark_add")
        if request.method != "POST":
            return HttpResponseRedirect(add)
        typed = {
            key: value for key, value in request.POST.items() if not key.startswith(("_", "csrf"))
        }
        link = typed.get("url", "").strip()
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            self.message_user(request, "Paste an http(s) link first.", messages.ERROR)
        else:
            bookmark = Bookmark(
                url=link, title=typed.get("title", ""), excerpt=typed.get("excerpt", "")
            )
            note = bookmark.fill_in()
            typed |= {"title": bookmark.title, "excerpt": bookmark.excerpt}
            if note:
                self.message_user(request, note, messages.WARNING)
            else:
                self.message_user(request, "Title and description filled in from the page.")
        request.session[SESSION_KEY] = typed
        return HttpResponseRedirect(f"{add}?fetched=1")

    def compose_week_view(self, request: HttpRequest) -> HttpResponse:
        """The dashboard's button: this week's digest from its published bookmarks, opened
        in the editor (made now, or the one already there)."""
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:index"))
        opts = digest_kind()._meta
        if not request.user.has_perm(f"{opts.app_label}.{get_permission_codename('add', opts)}"):
            raise PermissionDenied
        try:
            digest, created = compose(IsoWeek.of(timezone.now()))
        except ValueError as error:
            self.message_user(request, f"{error} Publish some first.", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:index"))
        if not created:
            self.message_user(request, "This week's digest already exists.", messages.INFO)
        meta = digest._meta
        return redirect(f"admin:{meta.app_label}_{meta.model_name}_change", digest.pk)

    @admin.action(description="Fetch missing titles and descriptions from the pages")
    def fetch_titles(self, request: HttpRequest, queryset: QuerySet) -> None:
        missing = list(queryset.filter(Q(title="") | Q(excerpt=""))[: FETCH_AT_ONCE + 1])
        if len(missing) > FETCH_AT_ONCE:
            self.message_user(request, f"Select at most {FETCH_AT_ONCE} at a time.", messages.ERROR)
            return
        filled = 0
        for bookmark in missing:
            note = bookmark.fill_in()
            if note:
                self.message_user(request, f"{bookmark.url}: {note}", messages.WARNING)
                continue
            bookmark.save()
            filled += 1
        self.message_user(request, f"Filled in {filled} of {len(missing)} bookmark(s).")

    @admin.action(description="Compose weekly notes from the selected bookmarks")
    def compose_weekly(self, request: HttpRequest, queryset: QuerySet) -> None:
        weeks: dict[IsoWeek, list[Bookmark]] = defaultdict(list)
        for bookmark in queryset.order_by("published_at", "created_at", "pk"):
            weeks[IsoWeek.of(bookmark.published_at or bookmark.created_at)].append(bookmark)
        for week, bookmarks in sorted(weeks.items()):
            digest, created = compose(week, bookmarks)
            meta = digest._meta
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[digest.pk])
            text = "Drafted {}" if created else "{} already exists and was left as it is"
            message = format_html(text.format('<a href="{}">{}</a>'), change, digest.title)
            self.message_user(request, message, messages.SUCCESS if created else messages.WARNING)


def bookmarklet(request: HttpRequest) -> HttpResponse:
    """/admin/bookmarklet/: the link to drag to the bookmarks bar."""
    if not request.user.has_perm("bookmarks.add_bookmark"):
        raise PermissionDenied
    add = request.build_absolute_uri(reverse("admin:bookmarks_bookmark_add"))
    context = {
        **admin.site.each_context(request),
        "title": "Bookmarklet",
        "code": BOOKMARKLET.format(add=add),
    }
    return TemplateResponse(request, "admin/bookmarks/bookmarklet.html", context)
