from django.apps import AppConfig


class ContentConfig(AppConfig):
    """What the four kinds share. The label is the project's former app name, so no table,
    content type, migration dependency or admin URL changed when the app moved here."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "content"
    label = "site_project"
    verbose_name = "Site"

    def ready(self) -> None:
        from content import changes  # models are only importable once apps are ready

        changes.connect()
