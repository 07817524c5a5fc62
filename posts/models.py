from django.db import models

from content.models import Publishable


class Post(Publishable):
    """An in-depth article; lists show its summary."""

    description = "In-depth articles, in full."
    summary_field = "summary"
    search_fields = ("summary",)
    kind_aliases = ("article", "blog")

    summary = models.CharField(
        max_length=300,
        help_text="Plain text, at most 300 characters, shown in lists, cards and search results.",
    )

    class Meta(Publishable.Meta):
        verbose_name = "post"
