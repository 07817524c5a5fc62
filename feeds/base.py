"""The feed classes: `ContentFeed` (everything, or some kinds), one per kind, and `TagFeed`.

Each feed is a Django syndication `Feed`. The format only swaps the generator
(`feeds.formats`), so RSS, Atom and JSON Feed come from the same items and item methods.
What an item holds besides its body (a bookmark's link, a learning's sources) the item says
itself, through the members `Publishable` declares.
"""

from __future__ import annotations

import datetime
from functools import cached_property

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape

from content.mixed import MixedList, load_items
from content.models import ContentVersion, Publishable, Tag, content_models, site_url
from feeds.formats import FORMATS, absolutize


def item_html(item: Publishable) -> str:
    """An item's full content for feeds: the stored HTML with absolute links, and what the
    item shows around it."""
    body = absolutize(item.body_html, item.permalink)
    return item.feed_header_html() + body + item.feed_footer_html()


def with_content(queryset: QuerySet) -> QuerySet:
    # The stored HTML; never the Markdown source or the search vector.
    return queryset.for_list(with_html=True)


def prepare(items: list[Publishable]) -> list[Publishable]:
    """Set `permalink` (absolute) and `tag_names` on items (loaded with their tags)."""
    for item in items:
        item.permalink = site_url(item.get_absolute_url())
        item.tag_names = [tag.name for tag in item.tag_list]
    return items


def load_with_content(model: type[Publishable], pks: list[int]) -> list[Publishable]:
    """One kind's feed items, for `load_items`: the full content."""
    return list(with_content(model.objects.filter(pk__in=pks)))


class ContentFeed(Feed):
    """The newest `FEED_ITEMS` published items of `kinds` (app labels; empty means all).

    Validators come from what the feed shows: `Last-Modified` is its newest item's date (set
    by Django's `Feed`), the ETag a hash of its bytes (ConditionalGetMiddleware), so a change
    elsewhere on the site leaves this feed's ETag as it was. The page cache answers repeat
    requests without building the feed again.
    """

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
        response = super().__call__(request, *args, **kwargs)
        if not self.loaded and response.has_header("Last-Modified"):
            # An empty feed has no date: Django would stamp the current time.
            del response.headers["Last-Modified"]
        return response

    # What the feed holds --------------------------------------------------------------------

    # Only the items with this tag (a tag's feed).
    tag: Tag | None = None

    def querysets(self) -> list[QuerySet]:
        models = [m for m in content_models() if not self.kinds or m._meta.app_label in self.kinds]
        return [model.objects.published() for model in models]

    @cached_property
    def loaded(self) -> list:
        """The items, loaded once per request (the feed's date is read before they are)."""
        querysets = {queryset.model: queryset for queryset in self.querysets()}
        if len(querysets) == 1:
            (queryset,) = querysets.values()
            if self.tag is not None:
                queryset = queryset.filter(tags=self.tag)
            return prepare(list(with_content(queryset)[: settings.FEED_ITEMS]))
        items = MixedList(lambda model: querysets[model], titles_only=True, tag=self.tag)
        rows = items.rows(settings.FEED_ITEMS)
        return prepare(load_items(list(rows), load=load_with_content))

    def items(self) -> list:
        return self.loaded

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
        # An empty feed is dated by the content's last change, not by the clock, so its bytes
        # (and its ETag) stay the same until something changes.
        return {"last_modified": None if self.loaded else ContentVersion.current().changed_at}

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

    def link(self) -> str:
        return site_url(self.tag.get_absolute_url())

    def description(self) -> str:
        return self.tag.description or f"Everything tagged {self.tag.name}."
