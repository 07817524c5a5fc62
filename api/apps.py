from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The token API for the author's tools (`sitectl`, scripts, agents): above the kinds,
    which it finds through `content_models()`; nothing below imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API"
