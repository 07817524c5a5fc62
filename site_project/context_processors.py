from django.conf import settings
from django.http import HttpRequest

from content.models import content_models


def site(request: HttpRequest) -> dict:
    # Settings and app metadata only, no queries: the 500 page renders this without a database.
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_AUTHOR": settings.SITE_AUTHOR,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "SITE_INTRO": settings.SITE_INTRO,
        "kinds": [model._meta for model in content_models()],
    }
