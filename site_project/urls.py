"""The project's URLs. Here the apps meet: the feed sections and the sitemaps are assembled
from the kinds and passed down, so no app below needs to know the others."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from api.api import api
from bookmarks.admin import bookmarklet
from bookmarks.feeds import WeeklyFeed
from content import archives, editor, preview
from content import sitemaps as content_sitemaps
from content import views as content_views
from content.cards.views import card_image
from content.models import content_models
from content.public import public_page
from feeds.base import ContentFeed, kind_feed
from feeds.urls import feed_urls
from site_project import health, views

handler500 = "site_project.errors.server_error"

KINDS = content_models()
FEED_SECTIONS = {
    ContentFeed.section: ContentFeed,
    **{model._meta.app_label: kind_feed(model) for model in KINDS},
    WeeklyFeed.section: WeeklyFeed,
}
SITEMAPS = content_sitemaps.sitemaps(KINDS)
# Django's view, marked public (its ?p= pages through a large sitemap), GET and HEAD only.
public_sitemap = require_safe(public_page(params=("p",))(sitemap))

urlpatterns = [
    path("", views.home, name="home"),
    *[
        path(f"{model._meta.app_label}/", include(f"{model._meta.app_label}.urls"))
        for model in KINDS
    ],
    path("tags/", content_views.tag_index, name="tag_index"),
    path("tags/<slug:slug>/", content_views.tag_detail, name="tag_detail"),
    path("archive/", archives.archive_index, name="archive_index"),
    path("archive/<int:year>/", archives.archive_year, name="archive_year"),
    path("archive/<int:year>/<int:month>/", archives.archive_month, name="archive_month"),
    *feed_urls(FEED_SECTIONS),
    path("", include("search.urls")),
    path("sitemap.xml", public_sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("cards/<str:kind>/<slug:slug>/<str:version>.png", card_image, name="card_image"),
    path("preview/<str:token>/", preview.draft_preview, name="draft_preview"),
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    path("api/", api.urls),
    path("admin/bookmarklet/", admin.site.admin_view(bookmarklet), name="admin_bookmarklet"),
    path("admin/two-factor/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    # The editor's preview and uploads, under the names markdownx's widget reverses.
    path("markdownx/markdownify/", editor.preview, name="markdownx_markdownify"),
    path("markdownx/upload/", editor.upload, name="markdownx_upload"),
    path("media/<path:path>", editor.media, name="media"),
]
