from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from content.history.conflict import EditConflict, find_conflict
from content.models import Tag
from content.slugs import parse_tag_names

CONFLICT_MESSAGE = (
    "Not saved: this {kind} was changed (version {current}) after you opened it (version "
    "{opened_at}). Their changes are shown above; your text is still in the form below. "
    "Merge what you need, then save again to replace their version (it stays in the history)."
)


class VersionedForm(forms.ModelForm):
    """Carries the version the form was opened at; saving over a newer one is refused, with
    what changed since (`conflict`) for the change form to show beside the editor's text."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict: EditConflict | None = None
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance._state.adding:
            return cleaned
        model = type(self.instance)
        # The row stays locked until the admin's transaction commits the save: of two saves
        # made at the same moment from the same version, the second sees the first's number.
        with transaction.atomic():
            current = model.locked_version(self.instance.pk)
            if current is None:
                raise ValidationError(f"This {model._meta.verbose_name} was deleted meanwhile.")
            opened_at = cleaned.get("version")
            if opened_at == current:
                return cleaned
            saved = model._default_manager.get(pk=self.instance.pk)
            self.conflict = find_conflict(saved, opened_at, self.posted_values())
        # Saving again (after reading the conflict) is made against the version seen here.
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(current)
        raise ValidationError(
            CONFLICT_MESSAGE.format(
                kind=model._meta.verbose_name, current=current, opened_at=opened_at or "?"
            ),
            code="edit_conflict",
        )

    def posted_values(self) -> dict:
        """The editor's values, keyed by attname, for the conflict's "your changes"."""
        fields = {f.name: f for f in self.instance._meta.concrete_fields}
        return {
            fields[name].attname: value
            for name, value in self.cleaned_data.items()
            if name in fields and fields[name].editable
        }


class TagForm(VersionedForm):
    class Meta:
        model = Tag
        fields = ["name", "slug", "description"]


class PublishableForm(VersionedForm):
    """The base admin form: tags are typed as comma-separated names."""

    tag_names = forms.CharField(
        label="Tags",
        required=False,
        help_text="Comma-separated, e.g. “python, postgresql”. New tags are created; "
        "existing ones match regardless of case.",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tag_names"] = ", ".join(t.name for t in self.instance.tags.all())

    def posted_values(self) -> dict:
        names = parse_tag_names(self.cleaned_data.get("tag_names", ""))
        return {**super().posted_values(), "tags": ", ".join(sorted(names, key=str.casefold))}

    def save_tags(self) -> None:
        """Called by the admin once the instance has a primary key."""
        names = parse_tag_names(self.cleaned_data.get("tag_names", ""))
        self.instance.tags.set(Tag.objects.resolve(names))


class URLListField(SimpleArrayField):
    """One http(s) URL per line; blank lines are ignored."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 80})

    def __init__(self, **kwargs):
        kwargs.pop("base_field", None)
        kwargs.pop("max_length", None)
        super().__init__(
            forms.URLField(max_length=500, validators=[URLValidator(schemes=["http", "https"])]),
            delimiter="\n",
            **kwargs,
        )

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = "\n".join(line.strip() for line in value.splitlines() if line.strip())
        return super().to_python(value)
