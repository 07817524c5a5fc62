"""The search page's query parameters: ?q=…&kind=…&tag=…&year=…, validated as a form."""

from __future__ import annotations

from django import forms

from content.models import Tag, content_models
from search.query import clean_query_text


class QueryField(forms.CharField):
    """Any text is a valid query: control characters (NUL included) become spaces and it is
    cut to 200 characters, so hostile input gets a normal page rather than a 400."""

    def to_python(self, value) -> str:
        return clean_query_text(super().to_python(value))


def kind_choices() -> list[tuple[str, str]]:
    return [("", "All kinds")] + [
        (m._meta.app_label, str(m._meta.verbose_name_plural).capitalize()) for m in content_models()
    ]


class KindField(forms.ChoiceField):
    """A kind by its app label ("notes"); the singular ("note") of older links still works."""

    def to_python(self, value) -> str:
        value = super().to_python(value)
        singular = {m._meta.model_name: m._meta.app_label for m in content_models()}
        return singular.get(value, value)


class SearchForm(forms.Form):
    q = QueryField(required=False, label="Search for", strip=False)
    kind = KindField(required=False, choices=kind_choices)
    tag = forms.ModelChoiceField(
        queryset=Tag.objects.only("name", "slug"), to_field_name="slug", required=False
    )
    # Wide enough for any real archive, narrow enough that dates never overflow.
    year = forms.IntegerField(required=False, min_value=1900, max_value=2999)

    FILTERS = ("kind", "tag", "year")

    def params(self, **changes) -> dict[str, str]:
        """The cleaned parameters as URL values, with `changes` (None drops one)."""
        data = self.cleaned_data
        values = {
            "q": data.get("q") or None,
            "kind": data.get("kind") or None,
            "tag": data["tag"].slug if data.get("tag") else None,
            "year": data.get("year"),
        }
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value not in (None, "")}
