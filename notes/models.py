from content.models import Publishable


class Note(Publishable):
    """A short essay; lists show its excerpt."""

    description = "Short essays."

    class Meta(Publishable.Meta):
        verbose_name = "note"
