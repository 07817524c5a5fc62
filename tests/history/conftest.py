"""Helpers for the history tests: the admin's change form, filled in as a browser would."""

import lxml.html
from django.urls import reverse

from content.models import Tag


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def form_data(client, model, pk) -> dict:
    """The change form's fields with the values a browser would send, as the page has them."""
    html = client.get(admin_url(model, "change", pk)).content.decode()
    form = lxml.html.fromstring(html).get_element_by_id(f"{model._meta.model_name}_form")
    return dict(form.form_values())


def text_field(model) -> str:
    """The Markdown (or, for tags, the description) an editor types into."""
    return "description" if model is Tag else "body"
