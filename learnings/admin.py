from django.contrib import admin

from learnings.models import Learning
from site_project.admin import PublishableAdmin
from site_project.forms import PublishableForm, URLListField


class LearningForm(PublishableForm):
    sources = URLListField(
        required=False, help_text="Where the answer comes from: one http(s) URL per line."
    )

    class Meta:
        labels = {"title": "Question", "body": "Answer"}


@admin.register(Learning)
class LearningAdmin(PublishableAdmin):
    form = LearningForm
    own_fields = ("sources",)
