from content.views import ContentDetailView, ContentListView
from notes.models import Note


class NoteListView(ContentListView):
    model = Note


class NoteDetailView(ContentDetailView):
    model = Note
