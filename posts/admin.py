from django.contrib import admin

from content.admin import PublishableAdmin
from posts.models import Post


@admin.register(Post)
class PostAdmin(PublishableAdmin):
    own_fields = ("summary",)
