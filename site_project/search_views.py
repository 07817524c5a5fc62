"""/search/: ranked results across the four kinds, with facets and a typo suggestion."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from site_project.content_views import paginate
from site_project.search import has_words
from site_project.search_forms import SearchForm
from site_project.search_results import WINDOW, Results, Search, popular_tags, published_years

TOP_TAGS = 20
FEW_RESULTS = 3


class ResultPages(Sequence):
    """The ranked hits, for `Paginator`: only the page's items are loaded, with snippets."""

    def __init__(self, search: Search, results: Results):
        self.search, self.hits = search, results.hits

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return self.search.load(self.hits[index])


def _kind_count(results: Results, kind: str) -> int | str:
    n = results.counts[kind]
    return f"{n}+" if n >= WINDOW and not results.complete else n


def _link(form: SearchForm, **changes) -> str:
    return f"{reverse('search')}?{urlencode(form.params(**changes))}"


def facets(form: SearchForm, search: Search, results: Results) -> list[tuple]:
    """Counts among the results, each linking to the search narrowed by that value: a count is
    exactly what its link finds. A chosen filter shows alone, with a link that removes it.

    When the results are incomplete (a kind with more than WINDOW matches), the counts by kind
    are lower bounds ("100+"), and years and tags are offered without counts.
    """
    exact = results.complete

    def facet(label, count, url, selected=False) -> dict:
        return {"label": label, "count": count, "url": url, "selected": selected}

    kinds = [
        facet(
            str(model._meta.verbose_name_plural).capitalize(),
            _kind_count(results, model._meta.model_name),
            _link(form, kind=model._meta.model_name),
            selected=search.kind == model._meta.model_name,
        )
        for model in search.models()
    ]
    if search.year:
        years = [facet(search.year, results.total if exact else None, "", selected=True)]
    elif exact:
        years = [facet(year, n, _link(form, year=year)) for year, n in results.year_counts()]
    else:
        years = [facet(year, None, _link(form, year=year)) for year in published_years()]
    if search.tag:
        tags = [facet(search.tag.name, results.total if exact else None, "", selected=True)]
    else:
        tags = [
            facet(tag.name, n if exact else None, _link(form, tag=tag.slug))
            for tag, n in results.tag_counts()
        ]
    # (heading, values, link that removes the filter, its text), in the order shown.
    return [
        ("Kind", kinds, _link(form, kind=None) if search.kind else None, "All kinds"),
        ("Tag", tags, _link(form, tag=None) if search.tag else None, "Any tag"),
        ("Year", years, _link(form, year=None) if search.year else None, "Any year"),
    ]


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "400.html", status=400)
    data = form.cleaned_data
    context: dict = {"form": form, "query": data["q"]}
    if not has_words(data["q"]):
        # Nothing to look for (empty, or only punctuation): the form and the popular tags.
        context["top_tags"] = popular_tags(TOP_TAGS)
        return render(request, "site_project/search.html", context)
    search = Search(data["q"], data["kind"] or None, data["tag"], data["year"])
    results = search.results()
    page = paginate(request, ResultPages(search, results))
    suggestion = search.suggestion(results.total) if results.total < FEW_RESULTS else None
    context.update(
        searched=True,
        found=results,
        window=WINDOW,
        results=page.object_list,
        kind_label=search.models()[0]._meta.verbose_name_plural if search.kind else None,
        page_obj=page,
        facet_groups=facets(form, search, results),
        filtered=any(data[name] for name in SearchForm.FILTERS),
        query_string=urlencode(form.params()),
        suggestion=suggestion,
        suggestion_url=_link(form, q=suggestion) if suggestion else None,
    )
    return render(request, "site_project/search.html", context)
