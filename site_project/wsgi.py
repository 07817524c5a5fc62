import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings")

application = get_wsgi_application()


def warm() -> None:
    """Load what every worker's first request would: the URLconf and the compiled templates.

    gunicorn calls it in its master before forking (gunicorn.conf.py), so workers start warm.
    No database connection or cache file is opened here: a forked one would be shared.
    """
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's URLconf and views)
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(directory).rglob("*.html"):
            get_template(str(path.relative_to(directory)))
