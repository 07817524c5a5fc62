from django.contrib import admin

from content.admin import PublishableAdmin
from content.forms import PublishableForm, URLListField
from learnings.models import Learning


class LearningForm(PublishableForm):
    sources = URLListField(
        required=False, help_text="Where the answer comes from: one http(s) URL per line."
    )


@admin.register(Learning)
class LearningAdmin(PublishableAdmin):
    form = LearningForm
    own_fields = ("sources",)
    show_reading_time = False
