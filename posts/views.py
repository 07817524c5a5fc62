from content.views import ContentDetailView, ContentListView
from posts.models import Post


class PostListView(ContentListView):
    model = Post


class PostDetailView(ContentDetailView):
    model = Post
