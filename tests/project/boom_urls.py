"""The site's URLs plus one view that fails, to see the 500 page as a browser would."""

from django.urls import path

from site_project.urls import urlpatterns as site_urlpatterns

handler500 = "site_project.errors.server_error"


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
