"""/search/: full-text search across the four kinds."""

from django.urls import path

from site_project import search_views

urlpatterns = [path("search/", search_views.search, name="search")]
