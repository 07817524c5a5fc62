from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """RSS, Atom and JSON Feed for every section and tag. No models."""

    name = "feeds"
