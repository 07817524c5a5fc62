"""The history in the admin: every revision of an item, a readable diff between any two,
restore in one click, and deleted items recovered. Mixed into `PublishableAdmin` and
`TagAdmin`; the revisions themselves are recorded by `content.history`."""

from __future__ import annotations

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Version

from content.history import deleted_versions, recover, restore, revision, versions_of
from content.history.diff import compare

HISTORY_PAGE_SIZE = 50


class CompareForm(forms.Form):
    """`?old=<revision>&new=<revision>`, both of the item's own versions."""

    old = forms.ModelChoiceField(queryset=Version.objects.none())
    new = forms.ModelChoiceField(queryset=Version.objects.none())

    def __init__(self, versions: models.QuerySet[Version], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old"].queryset = self.fields["new"].queryset = versions


class HistoryAdminMixin:
    change_form_template = "admin/history/versioned_change_form.html"
    change_list_template = "admin/history/change_list.html"

    @property
    def media(self) -> forms.Media:
        return super().media + forms.Media(css={"all": ["css/history.css"]})

    def get_urls(self) -> list:
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/", view(self.compare_view), name=f"{name}_compare"
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                view(self.restore_view),
                name=f"{name}_restore",
            ),
            path("deleted/", view(self.deleted_view), name=f"{name}_deleted"),
            path(
                "deleted/<int:version_id>/recover/", view(self.recover_view), name=f"{name}_recover"
            ),
            *super().get_urls(),
        ]

    def get_fields(self, request: HttpRequest, obj=None) -> list:
        # The form's hidden version travels outside the fieldsets (see _conflict.html).
        return [name for name in super().get_fields(request, obj) if name != "version"]

    # Saving in the admin: one revision per save, with who made it and what changed ----------

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with revision("Added in the admin", request.user):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if change:
            changed = [
                str(form.fields[name].label or name).lower()
                for name in form.changed_data
                if name != "version"
            ]
            if reversion.is_active():
                reversion.set_comment(f"Changed {', '.join(changed) or 'nothing'} in the admin")
        super().save_model(request, obj, form, change)

    # Pages --------------------------------------------------------------------------------

    def _context(self, request: HttpRequest, title: str, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "media": self.media,
            **extra,
        }

    def _item(self, request: HttpRequest, object_id: str):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with that key.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        obj = self._item(request, object_id)
        page = Paginator(versions_of(self.model, obj.pk), HISTORY_PAGE_SIZE).get_page(
            request.GET.get("p")
        )
        context = self._context(
            request,
            f"History: {obj}",
            object=obj,
            page=page,
            rows=[(version, version.field_dict.get("version")) for version in page],
            can_restore=self.has_change_permission(request, obj),
            **(extra_context or {}),
        )
        return TemplateResponse(request, "admin/history/object_history.html", context)

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self._item(request, object_id)
        history = self._history_url(obj)
        form = CompareForm(versions_of(self.model, obj.pk), request.GET)
        if not form.is_valid():
            messages.error(request, "Choose two versions of this item to compare.")
            return HttpResponseRedirect(history)
        old, new = sorted(
            [form.cleaned_data["old"], form.cleaned_data["new"]],
            key=lambda v: (v.revision.date_created, v.pk),
        )
        context = self._context(
            request,
            f"Compare versions: {obj}",
            object=obj,
            old=old,
            new=new,
            diffs=compare(self.model, old.field_dict, new.field_dict),
            history_url=history,
            can_restore=self.has_change_permission(request, obj),
        )
        return TemplateResponse(request, "admin/history/compare.html", context)

    @transaction.atomic
    def restore_view(self, request: HttpRequest, object_id: str, version_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._item(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(versions_of(self.model, obj.pk), pk=version_id)
        try:
            obj = restore(version, request.user)
        except ValidationError as error:
            messages.error(request, f"Not restored: {' '.join(error.messages)}")
            return HttpResponseRedirect(self._history_url(obj))
        messages.success(
            request,
            f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}. "
            f"The text it replaced stays in the history.",
        )
        return HttpResponseRedirect(reverse(self._url("change"), args=[obj.pk]))

    def deleted_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_view_or_change_permission(request)):
            raise PermissionDenied
        page = Paginator(deleted_versions(self.model), HISTORY_PAGE_SIZE).get_page(
            request.GET.get("p")
        )
        title = f"Deleted {self.opts.verbose_name_plural}"
        context = self._context(request, title, page=page)
        return TemplateResponse(request, "admin/history/deleted.html", context)

    @transaction.atomic
    def recover_view(self, request: HttpRequest, version_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = deleted_versions(self.model).filter(pk=version_id).first()
        if version is None:
            messages.warning(request, "That item is not deleted (recovered already?).")
            return HttpResponseRedirect(reverse(self._url("deleted")))
        try:
            obj = recover(version, request.user)
        except ValidationError as error:
            messages.error(request, f"Not recovered: {' '.join(error.messages)}")
            return HttpResponseRedirect(reverse(self._url("deleted")))
        messages.success(request, f"Recovered “{obj}”, with its history.")
        return HttpResponseRedirect(reverse(self._url("change"), args=[obj.pk]))

    def _url(self, action: str) -> str:
        return f"admin:{self.opts.app_label}_{self.opts.model_name}_{action}"

    def _history_url(self, obj) -> str:
        return reverse(self._url("history"), args=[obj.pk])
