from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from markdownx.views import ImageUploadView, MarkdownifyView

from site_project import health, preview, views

handler500 = "site_project.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("posts/", include("posts.urls")),
    path("notes/", include("notes.urls")),
    path("learnings/", include("learnings.urls")),
    path("bookmarks/", include("bookmarks.urls")),
    path("tags/", views.tag_index, name="tag_index"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag_detail"),
    path("archive/<int:year>/", views.archive_year, name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.archive_month, name="archive_month"),
    path("", include("site_project.feed_urls")),
    path("", include("site_project.search_urls")),
    path("preview/<str:token>/", preview.draft_preview, name="draft_preview"),
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    path("admin/", admin.site.urls),
    # The editor's preview and uploads: staff only (markdownx's own URLs are public).
    path(
        "markdownx/markdownify/",
        staff_member_required(MarkdownifyView.as_view()),
        name="markdownx_markdownify",
    ),
    path(
        "markdownx/upload/",
        staff_member_required(ImageUploadView.as_view()),
        name="markdownx_upload",
    ),
]
