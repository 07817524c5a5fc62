from django.contrib import admin

from bookmarks.models import Bookmark
from content.admin import PublishableAdmin
from content.forms import PublishableForm


class BookmarkForm(PublishableForm):
    class Meta:
        labels = {"title": "Link title", "body": "Commentary", "url": "URL"}


@admin.register(Bookmark)
class BookmarkAdmin(PublishableAdmin):
    form = BookmarkForm
    own_fields = ("url", "via_url")
    list_display = ["title", "domain", "status", "published_at", "tag_list"]
    search_fields = ["title", "body", "url"]
