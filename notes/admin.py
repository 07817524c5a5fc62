from django.contrib import admin

from content.admin import PublishableAdmin
from notes.models import Note


@admin.register(Note)
class NoteAdmin(PublishableAdmin):
    pass
