"""The editor's admin site: the site's own name, content before settings, and the dashboard
(content/dashboard.py) as its index."""

from operator import itemgetter

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse

from content import dashboard
from content.models import Tag, content_models

# The index and the sidebar show two groups: what the author writes, then everything else.
GROUPS = {"content": "Content", "settings": "Settings"}


class EditorSite(admin.AdminSite):
    index_title = "Dashboard"
    index_template = "admin/dashboard.html"

    # Read on each request, so SITE_NAME is the one source (tests may change it).
    @property
    def site_header(self) -> str:
        return settings.SITE_NAME

    @property
    def site_title(self) -> str:
        return settings.SITE_NAME

    def get_urls(self) -> list:
        group = "|".join(GROUPS)
        return [
            re_path(rf"^(?P<group>{group})/$", self.admin_view(self.group_index), name="group"),
            path("capture/<slug:kind>/", self.admin_view(self.capture), name="capture"),
            path("publish/<slug:kind>/<int:pk>/", self.admin_view(self.publish), name="publish"),
            *super().get_urls(),
        ]

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        """Content (the kinds in their order, then tags) first; every other app below it,
        as one "Settings" group. An app's own page (`app_label`) stays as Django makes it."""
        app_list = super().get_app_list(request, app_label)
        if app_label:
            return app_list
        by_label = {app["app_label"]: app["models"] for app in app_list}
        content_labels = [model._meta.app_label for model in content_models()]
        content = [
            model
            for label in [*content_labels, Tag._meta.app_label]
            for model in by_label.pop(label, [])
        ]
        rest = sorted(
            (model for models in by_label.values() for model in models), key=itemgetter("name")
        )
        groups = {"content": content, "settings": rest}
        return [self._group(key, models) for key, models in groups.items() if models]

    def _group(self, key: str, models: list[dict]) -> dict:
        return {
            "name": GROUPS[key],
            "app_label": key,
            "app_url": reverse("admin:group", kwargs={"group": key}, current_app=self.name),
            "has_module_perms": True,
            "models": models,
        }

    def group_index(self, request: HttpRequest, group: str) -> HttpResponse:
        found = [app for app in self.get_app_list(request) if app["app_label"] == group]
        if not found:
            raise Http404("Nothing to show here.")
        context = {
            **self.each_context(request),
            "title": found[0]["name"],
            "subtitle": None,
            "app_list": found,
            "app_label": group,
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/app_index.html", context)

    def index(
        self, request: HttpRequest, extra_context: dict | None = None, capture_forms=None
    ) -> HttpResponse:
        """The dashboard; `capture_forms` are quick-capture forms coming back with errors."""
        context = {"dashboard": dashboard.build(request, self, capture_forms or {})}
        return super().index(request, {**context, **(extra_context or {})})

    def capture(self, request: HttpRequest, kind: str) -> HttpResponse:
        return dashboard.capture(request, self, kind)

    def publish(self, request: HttpRequest, kind: str, pk: int) -> HttpResponse:
        return dashboard.publish(request, self, kind, pk)
