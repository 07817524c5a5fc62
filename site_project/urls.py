from django.contrib import admin
from django.urls import include, path

from site_project import editor, health, preview, views

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
    # The editor's preview and uploads, under the names markdownx's widget reverses.
    path("markdownx/markdownify/", editor.preview, name="markdownx_markdownify"),
    path("markdownx/upload/", editor.ImageUpload.as_view(), name="markdownx_upload"),
    path("media/<path:path>", editor.media, name="media"),
]
