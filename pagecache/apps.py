from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Public pages kept whole, in Django's cache and in the proxy in front, keyed on the
    content's version (`content.models.version`)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from content.signals import content_changed
        from pagecache import proxy

        content_changed.connect(proxy.content_changed, dispatch_uid="pagecache-proxy")
