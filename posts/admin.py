from django.contrib import admin

from posts.models import Post
from site_project.admin import PublishableAdmin


@admin.register(Post)
class PostAdmin(PublishableAdmin):
    own_fields = ("summary",)
