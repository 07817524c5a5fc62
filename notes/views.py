from notes.models import Note
from site_project.content_views import ContentDetailView, ContentListView


class NoteListView(ContentListView):
    model = Note


class NoteDetailView(ContentDetailView):
    model = Note
