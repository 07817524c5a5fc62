"""Helpers shared by the search tests: the search URL, indexing, reading a results page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from site_project import search_results as search_module
from site_project.search import index_item

SEARCH = reverse("search")


@pytest.fixture(autouse=True)
def _forget_remembered_answers():
    search_module._memo.clear()


def indexed(item):
    """Factories set tags after save(), as a shell user would: index them as editors do."""
    index_item(item)
    return item


def titles(response) -> list[str]:
    return [item.title for item in response.context["page_obj"].object_list]


def facets(response) -> dict[str, list[dict]]:
    return {heading: values for heading, values, *_ in response.context["facet_groups"]}


def at(year: int, month: int = 6) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, 15, 12))
