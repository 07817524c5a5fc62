from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ContentConfig(AppConfig):
    """What the four kinds share. The label is the project's former app name, so no table,
    content type, migration dependency or admin URL changed when the app moved here."""

    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "content"
    label = "site_project"
    verbose_name = "Site"

    def ready(self) -> None:
        from content import changes, history  # models are only importable once apps are ready

        history.register()
        changes.connect()


class EditorAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by the editor's own site (content/admin_site.py): listed in
    INSTALLED_APPS in place of "django.contrib.admin", so `admin.site` is that site."""

    default = False
    default_site = "content.admin_site.EditorSite"
