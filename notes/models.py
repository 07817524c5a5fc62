from site_project.models import Publishable


class Note(Publishable):
    """A short essay; lists show its excerpt."""

    class Meta(Publishable.Meta):
        verbose_name = "note"
