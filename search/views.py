"""/search/: ranked results across the kinds, with facets and a typo suggestion."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from content.public import public_page
from content.views import paginate
from search.facets import facets, link, popular_tags
from search.forms import SearchForm
from search.query import has_words
from search.results import Results, Search

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


# Plain queries are kept; filtered ones are too particular to be worth keeping.
@public_page(params=("q", "page"), uncached_params=SearchForm.FILTERS)
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
        return render(request, "search/search.html", context)
    search = Search(data["q"], data["kind"] or None, data["tag"], data["year"])
    results = search.results()
    page = paginate(request, ResultPages(search, results))
    suggestion = search.suggestion(results.total) if results.total < FEW_RESULTS else None
    context.update(
        searched=True,
        found=results,
        window=search.window,
        results=page.object_list,
        kind_label=search.models()[0]._meta.verbose_name_plural if search.kind else None,
        page_obj=page,
        facet_groups=facets(form, search, results),
        filtered=any(data[name] for name in SearchForm.FILTERS),
        query_string=urlencode(form.params()),
        suggestion=suggestion,
        suggestion_url=link(form, q=suggestion) if suggestion else None,
    )
    return render(request, "search/search.html", context)
