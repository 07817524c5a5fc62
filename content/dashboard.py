"""The editor's dashboard, the admin index: drafts, scheduled items, what each kind adds (this
week's bookmarks), recently published, and quick capture.

Every list is derived from `content_models()`: one query unions the kinds' newest rows, then
one query per kind loads the items shown, so the page's query count does not grow with the
content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import modelform_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from content.mixed import load_items
from content.models import Publishable, Status, content_models
from content.preview import preview_url
from content.querysets import kind_label, summarise, union_all

LIMIT = 10


@dataclass(frozen=True)
class Row:
    item: Publishable
    change_url: str
    preview_url: str = ""
    publish_url: str = ""


@dataclass(frozen=True)
class Capture:
    kind: str
    title: str
    form: forms.Form
    action: str


class CaptureForm(forms.ModelForm):
    """A kind's `capture_fields` and a "publish" box: unticked, the item is a draft."""

    publish = forms.BooleanField(
        required=False, label="Publish now", help_text="Unticked, it is saved as a draft."
    )

    def clean(self) -> dict:
        data = super().clean()
        # Before the model's own clean(), which dates a published item.
        self.instance.status = Status.PUBLISHED if data.get("publish") else Status.DRAFT
        # What the kind fills in itself (a bookmark's title, from its page), it does; if it
        # cannot, the model's own rule stands (a bookmark's address stands in as its title).
        if type(self.instance).fillable_fields and not self.errors:
            for name, value in data.items():
                if name in self.fields and name != "publish":
                    setattr(self.instance, name, value)
            self.instance.fill_in()
        return data


def capture_form(model: type[Publishable]) -> type[CaptureForm]:
    widgets = {
        "title": forms.TextInput(attrs={"autocomplete": "off"}),
        "body": forms.Textarea(attrs={"rows": 4}),
        "url": forms.URLInput(attrs={"placeholder": "https://…", "autocomplete": "off"}),
    }
    help_texts = {
        "url": "Its address stands as its title until you give it one.",
        "body": "Markdown, as in the editor.",
    }
    fields = model.capture_fields
    return modelform_factory(
        model,
        form=CaptureForm,
        fields=fields,
        labels=model.field_labels,
        widgets={name: widget for name, widget in widgets.items() if name in fields},
        help_texts={name: text for name, text in help_texts.items() if name in fields},
        # A plain text box: markdownx's field would force its editor and live preview.
        field_classes={"body": forms.CharField} if "body" in fields else None,
    )


def newest(
    kinds: list[type[Publishable]],
    narrow: Callable[[models.QuerySet], models.QuerySet],
    field: str,
    newest_first: bool = True,
) -> list[Publishable]:
    """The first `LIMIT` items of every kind in `kinds`, by `field`: one union, then one load
    per kind."""
    order = f"-{field}" if newest_first else field
    parts = []
    for model in kinds:
        rows = narrow(model.objects.all()).annotate(kind=kind_label(model))
        rows = rows.values_list("kind", "pk", field)
        parts.append(rows.order_by(order, "-pk")[:LIMIT])
    rows = sorted(union_all(parts), key=lambda row: row[2], reverse=newest_first)[:LIMIT]
    # Rows show titles and dates: not the text, not the tags.
    return load_items(
        rows, lambda model, pks: model.objects.for_list(with_tags=False).filter(pk__in=pks)
    )


def admin_url(item: Publishable, action: str) -> str:
    opts = item._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[item.pk])


def build(request: HttpRequest, site: AdminSite, bound: dict[str, forms.Form]) -> dict:
    """The dashboard's context. `bound` holds quick-capture forms coming back with errors."""
    kinds = [
        model
        for model in content_models()
        if site.is_registered(model)
        and site.get_model_admin(model).has_view_or_change_permission(request)
    ]
    drafts = newest(kinds, lambda items: items.drafts(), "updated_at")
    scheduled = newest(kinds, lambda items: items.scheduled(), "published_at", newest_first=False)
    recent = newest(kinds, lambda items: items.published(), "published_at")
    return {
        "drafts": [Row(item, admin_url(item, "change"), preview_url(item)) for item in drafts],
        "draft_count": summarise([model.objects.drafts() for model in kinds])[0],
        "scheduled": [
            Row(item, admin_url(item, "change"), preview_url(item), publish_url(item))
            for item in scheduled
        ],
        "scheduled_count": summarise([model.objects.scheduled() for model in kinds])[0],
        "recent": [Row(item, admin_url(item, "change")) for item in recent],
        "panels": [
            {"template": f"{model._meta.app_label}/_dashboard.html", "items": items}
            for model in kinds
            if (items := model.dashboard_items()) is not None
        ],
        "capture": [
            Capture(
                kind=model._meta.app_label,
                title=f"Add a {model._meta.verbose_name}",
                form=bound.get(model._meta.app_label)
                or capture_form(model)(prefix=model._meta.app_label),
                action=reverse("admin:capture", kwargs={"kind": model._meta.app_label}),
            )
            for model in kinds
            if model.capture_fields and site.get_model_admin(model).has_add_permission(request)
        ],
        "kinds": [model._meta for model in kinds],
    }


def publish_url(item: Publishable) -> str:
    return reverse("admin:publish", kwargs={"kind": item._meta.app_label, "pk": item.pk})


def _kind(site: AdminSite, label: str) -> type[Publishable]:
    for model in content_models():
        if model._meta.app_label == label and site.is_registered(model):
            return model
    raise Http404(f"No kind of content is called {label!r}.")


@require_POST
def capture(request: HttpRequest, site: AdminSite, kind: str) -> HttpResponse:
    """Quick capture: save the form's item and come back to the dashboard, or show the
    dashboard again with the form's errors and what was typed."""
    model = _kind(site, kind)
    if not model.capture_fields:
        raise Http404(f"There is no quick capture for {model._meta.verbose_name_plural}.")
    model_admin = site.get_model_admin(model)
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = capture_form(model)(request.POST, prefix=kind)
    if not form.is_valid():
        return site.index(request, capture_forms={kind: form})
    item = form.save()
    model_admin.log_addition(request, item, [{"added": {}}])
    name = model._meta.verbose_name
    if item.is_published:
        message = format_html(
            'Published the {} “{}”: <a href="{}">see it on the site</a> or '
            '<a href="{}">edit it</a>.',
            name, item.title, item.get_absolute_url(), admin_url(item, "change"),
        )  # fmt: skip
    else:
        message = format_html(
            'Saved the {} “{}” as a draft: <a href="{}">edit it</a> or '
            '<a href="{}">preview it</a>.',
            name, item.title, admin_url(item, "change"), preview_url(item),
        )  # fmt: skip
    messages.success(request, message)
    return redirect("admin:index")


@require_POST
def publish(request: HttpRequest, site: AdminSite, kind: str, pk: int) -> HttpResponse:
    """ "Publish now" on a scheduled item: the kind's own admin action, on that one item."""
    model = _kind(site, kind)
    model_admin = site.get_model_admin(model)
    item = get_object_or_404(model.objects.only("pk"), pk=pk)
    if not model_admin.has_change_permission(request, item):
        raise PermissionDenied
    model_admin.publish_now(request, model.objects.filter(pk=pk))
    return redirect("admin:index")
