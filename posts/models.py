from django.db import models

from site_project.models import Publishable


class Post(Publishable):
    summary = models.CharField(
        max_length=300,
        help_text="Plain text, at most 300 characters, shown in lists, cards and search results.",
    )

    class Meta(Publishable.Meta):
        verbose_name = "post"
