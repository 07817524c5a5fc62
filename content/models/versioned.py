"""`Versioned`: a number that every save moves on, so an editor can tell whether the row
changed since they opened it (optimistic locking; see `content.forms.VersionedForm`)."""

from __future__ import annotations

from django.db import models
from django.db.models import F


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Moves on with every save; a form opened at an older number is refused.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and (update_fields is None or update_fields):
            # Counted by the database, so a stale copy in memory cannot move it backwards;
            # Django reads the new number back with RETURNING. A save of some fields only
            # (update_or_create, the admin actions) is an edit too.
            self.version = F("version") + 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)

    @classmethod
    def locked_version(cls, pk: int) -> int | None:
        """The saved version, the row locked until the transaction ends (None: deleted).
        Called inside the transaction that then saves, so two saves cannot both pass."""
        return (
            cls._base_manager.select_for_update()
            .filter(pk=pk)
            .values_list("version", flat=True)
            .first()
        )
