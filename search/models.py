from django.contrib.postgres.indexes import GistIndex, OpClass
from django.db import models


class SearchWord(models.Model):
    """A word of a published title or tag name, for "Did you mean …?" suggestions.

    The table predates this app (hence its name); `search.index` fills it with SQL.
    """

    word = models.TextField(primary_key=True)
    ndoc = models.IntegerField(default=1, help_text="How many titles and tag names hold it.")

    class Meta:
        db_table = "site_project_searchword"
        ordering = ["word"]
        indexes = [
            # `ORDER BY word <-> 'asycnio' LIMIT 1` is a nearest-neighbour index scan.
            GistIndex(OpClass("word", name="gist_trgm_ops"), name="site_project_searchword_trgm")
        ]

    def __str__(self) -> str:
        return self.word
