from django.contrib import admin

from bookmarks.models import Bookmark
from content.admin import PublishableAdmin


@admin.register(Bookmark)
class BookmarkAdmin(PublishableAdmin):
    # The address comes first: it is what the author has in hand.
    lead_fields = ("url",)
    own_fields = ("via_url",)
    show_reading_time = False
    list_display = ["title", "domain", *PublishableAdmin.list_display[1:]]
    search_fields = ["title", "body", "url"]
