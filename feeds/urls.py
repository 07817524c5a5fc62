from django.urls import URLPattern, path

from feeds import views


def feed_urls(sections: views.Sections) -> list[URLPattern]:
    """/feeds/ and each section's feeds in every format, and every tag's feeds."""
    options = {"sections": sections}
    return [
        path("feeds/", views.feed_list, options, name="feeds"),
        # `slug` stops at the dot; an unknown section or format is a 404 from the view.
        path("feeds/<slug:section>.<slug:fmt>", views.section_feed, options, name="feed"),
        path("tags/<slug:slug>/feed.<slug:fmt>", views.tag_feed, name="tag_feed"),
    ]
