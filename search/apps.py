from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Full-text search: it keeps the index through signal handlers connected here."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "search"

    def ready(self) -> None:
        from search import handlers  # models are only importable once apps are ready

        handlers.connect()
