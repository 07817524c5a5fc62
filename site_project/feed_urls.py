"""Feeds, the feeds page, sitemap and robots.txt."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from site_project import discovery
from site_project.sitemaps import sitemaps

urlpatterns = [
    path("feeds/", discovery.feed_list, name="feeds"),
    # `slug` stops at the dot; an unknown section or format is a 404 from the view.
    path("feeds/<slug:section>.<slug:fmt>", discovery.section_feed, name="feed"),
    path("tags/<slug:slug>/feed.<slug:fmt>", discovery.tag_feed, name="tag_feed"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps()}, name="sitemap"),
    path("robots.txt", discovery.robots_txt, name="robots_txt"),
]
