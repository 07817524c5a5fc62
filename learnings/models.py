from django.contrib.postgres.fields import ArrayField
from django.db import models

from site_project.models import Publishable


class Learning(Publishable):
    """'Today I learned': the title is the question, the body its answer."""

    sources = ArrayField(
        models.URLField(max_length=500),
        default=list,
        blank=True,
        help_text="Where the answer comes from: one http(s) URL per line.",
    )

    class Meta(Publishable.Meta):
        verbose_name = "learning"
