"""The feed classes: `ContentFeed` (everything, or some kinds), one per kind, and `TagFeed`.

Each feed is a Django syndication `Feed`. The format only swaps the generator
(`feeds.formats`), so RSS, Atom and JSON Feed come from the same items and item methods.
What an item holds besides its body (a bookmark's link, a learning's sources) the item says
itself, through the members `Publishable` declares.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import condition

from content.mixed import MixedList, load_items
from content.models import Publishable, Tag, content_models, site_url
from content.querysets import summarise
from feeds.formats import FORMATS, absolutize

# Part of every ETag: bump it when the feeds' markup changes, so readers fetch them again.
FEED_VERSION = "1"

Moment = datetime.datetime | None


def item_html(item: Publishable) -> str:
    """An item's full content for feeds: the stored HTML with absolute links, and what the
    item shows around it."""
    body = absolutize(item.body_html, item.permalink)
    return item.feed_header_html() + body + item.feed_footer_html()


def with_content(queryset: QuerySet) -> QuerySet:
    # The stored HTML; never the Markdown source or the search vector. Tag names come from
    # `prepare()`: Tag objects through prefetch_related cost three times as much.
    return queryset.for_list(with_html=True).defer("search_vector").prefetch_related(None)


def prepare(model: type[Publishable], items: list[Publishable]) -> list[Publishable]:
    """Set `permalink` (absolute) and `tag_names` on `model`'s `items`, with one query."""
    if not items:
        return items
    field = model._meta.get_field("tags")
    item_id = f"{field.m2m_field_name()}_id"
    tag_name = f"{field.m2m_reverse_field_name()}__name"
    pairs = (
        field.remote_field.through.objects.filter(**{f"{item_id}__in": [i.pk for i in items]})
        .order_by(tag_name)
        .values_list(item_id, tag_name)
    )
    names: dict[int, list[str]] = {}
    for pk, name in pairs:
        names.setdefault(pk, []).append(name)
    for item in items:
        item.permalink = site_url(item.get_absolute_url())
        item.tag_names = names.get(item.pk, [])
    return items


def load_with_content(model: type[Publishable], pks: list[int]) -> list[Publishable]:
    """One kind's feed items, for `load_items`: full content, tags and permalinks."""
    return prepare(model, list(with_content(model.objects.filter(pk__in=pks))))


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: Moment


class ContentFeed(Feed):
    """The newest `FEED_ITEMS` published items of `kinds` (app labels; empty means all)."""

    section = "all"
    kinds: tuple[str, ...] = ()
    page = "home"
    label = "Everything"
    explanation = "Everything published, newest first."

    def __init__(self, fmt: str) -> None:
        # One instance per request (feeds.views), so per-request state is safe.
        self.fmt = fmt
        self.feed_type = FORMATS[fmt]

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.url = site_url(request.path)
        self.state = self.validators()
        # `condition` answers 304 from one aggregate query, before any item is loaded.
        respond = condition(
            etag_func=lambda request: self.state.etag,
            last_modified_func=lambda request: self.state.last_modified,
        )(super().__call__)
        response = respond(request)
        if self.state.last_modified is None and response.has_header("Last-Modified"):
            # An empty feed has no date: Django would stamp the current time.
            del response.headers["Last-Modified"]
        return response

    # What the feed holds --------------------------------------------------------------------

    @cached_property
    def sources(self) -> list[QuerySet]:
        """`querysets()`, built once per request: validators and items share them."""
        return self.querysets()

    def querysets(self) -> list[QuerySet]:
        models = [m for m in content_models() if not self.kinds or m._meta.app_label in self.kinds]
        return [model.objects.published() for model in models]

    def items(self) -> list:
        querysets = {queryset.model: queryset for queryset in self.sources}
        if len(querysets) == 1:
            ((model, queryset),) = querysets.items()
            return prepare(model, list(with_content(queryset)[: settings.FEED_ITEMS]))
        rows = MixedList(lambda model: querysets[model]).rows(settings.FEED_ITEMS)
        return load_items(list(rows), load=load_with_content)

    def key(self) -> str:
        return self.section

    def newest_change(self, updated: Moment, published: Moment) -> Moment:
        # A scheduled item changes the feed when its time comes, not when it was saved.
        return max(filter(None, (updated, published)), default=None)

    def validators(self) -> Validators:
        count, updated, published = summarise(self.sources)
        parts = (FEED_VERSION, self.key(), self.fmt, settings.SITE_URL, settings.SITE_NAME)
        parts += (settings.SITE_AUTHOR, settings.FEED_ITEMS)
        state = "|".join(map(str, (*parts, count, updated, published)))
        etag = hashlib.sha256(state.encode()).hexdigest()[:32]
        return Validators(etag, self.newest_change(updated, published))

    # The feed ---------------------------------------------------------------------------------

    def title(self) -> str:
        return f"{settings.SITE_NAME}: {self.label}"

    def link(self) -> str:
        return site_url(reverse(self.page))

    def description(self) -> str:
        return self.explanation

    def feed_url(self) -> str:
        return self.url

    def feed_guid(self) -> str:
        return self.url

    def author_name(self) -> str:
        return settings.SITE_AUTHOR

    def author_link(self) -> str:
        return site_url(reverse("home"))

    def feed_extra_kwargs(self, obj: None) -> dict:
        return {"last_modified": self.state.last_modified}

    # Each item --------------------------------------------------------------------------------

    item_guid_is_permalink = True

    def item_title(self, item: Publishable) -> str:
        return item.title

    def item_guid(self, item: Publishable) -> str:
        return item.permalink

    def item_link(self, item: Publishable) -> str:
        # A bookmark links to the page it keeps; its permalink stays the id.
        return item.outbound_url or item.permalink

    def item_summary(self, item: Publishable) -> str:
        return item.summary_text

    def item_description(self, item: Publishable) -> str | None:
        # RSS <description> and Atom <summary type="html"> hold HTML: the plain text escaped.
        summary = self.item_summary(item)
        return escape(summary) if summary else None

    def item_pubdate(self, item: Publishable) -> datetime.datetime:
        return item.published_at

    def item_updateddate(self, item: Publishable) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Publishable) -> str:
        return settings.SITE_AUTHOR

    def item_categories(self, item: Publishable) -> list[str]:
        return item.tag_names

    def item_content(self, item: Publishable) -> str:
        return item_html(item)

    def item_extra_kwargs(self, item: Publishable) -> dict:
        return {
            "content": self.item_content(item),
            "summary": self.item_summary(item),
            "permalink": self.item_guid(item),
        }


def kind_feed(model: type[Publishable]) -> type[ContentFeed]:
    """The feed of one kind, described by the kind itself."""
    label = model._meta.app_label
    return type(
        f"{model.__name__}Feed",
        (ContentFeed,),
        {
            "section": label,
            "kinds": (label,),
            "page": f"{label}:index",
            "label": str(model._meta.verbose_name_plural).capitalize(),
            "explanation": model.description,
        },
    )


class TagFeed(ContentFeed):
    section, explanation = "tag", "Everything with one tag."

    def __init__(self, fmt: str, tag: Tag) -> None:
        super().__init__(fmt)
        self.tag = tag
        self.label = f"#{tag.name}"

    def querysets(self) -> list[QuerySet]:
        return [queryset.filter(tags=self.tag) for queryset in super().querysets()]

    def key(self) -> str:
        # The name is in the titles, so renaming the tag changes the feed.
        return f"tag:{self.tag.pk}:{self.tag.name}"

    def link(self) -> str:
        return site_url(self.tag.get_absolute_url())

    def description(self) -> str:
        return self.tag.description or f"Everything tagged {self.tag.name}."
