"""Helpers shared by the search tests: the search URL, reading a results page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import content_models
from search import facets as facet_module
from search.results import Search

SEARCH = reverse("search")


@pytest.fixture(autouse=True)
def _forget_remembered_answers():
    facet_module._memo.clear()


def found(text: str, **filters) -> list[str]:
    """Titles of the ranked matches, best first."""
    by_kind = {m._meta.app_label: m for m in content_models()}
    hits = Search(text, **filters).results().hits
    return [by_kind[hit.kind].objects.get(pk=hit.pk).title for hit in hits]


def titles(response) -> list[str]:
    return [item.title for item in response.context["page_obj"].object_list]


def facets(response) -> dict[str, list[dict]]:
    return {heading: values for heading, values, *_ in response.context["facet_groups"]}


def at(year: int, month: int = 6) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, 15, 12))
