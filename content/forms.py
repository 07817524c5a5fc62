from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.core.validators import URLValidator

from content.models import Tag
from content.slugs import parse_tag_names


class PublishableForm(forms.ModelForm):
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
