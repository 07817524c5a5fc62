from django.contrib import admin

from notes.models import Note
from site_project.admin import PublishableAdmin


@admin.register(Note)
class NoteAdmin(PublishableAdmin):
    pass
