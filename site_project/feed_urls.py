"""Feeds, the feeds page, sitemap and robots.txt (filled by the feeds work)."""

urlpatterns: list = []
