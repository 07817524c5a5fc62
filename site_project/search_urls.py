"""/search/ (filled by the search work)."""

urlpatterns: list = []
