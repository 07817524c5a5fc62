from posts.models import Post
from site_project.content_views import ContentDetailView, ContentListView


class PostListView(ContentListView):
    model = Post


class PostDetailView(ContentDetailView):
    model = Post
