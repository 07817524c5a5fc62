from django.urls import path

from bookmarks import views

app_name = "bookmarks"
urlpatterns = [
    path("", views.BookmarkListView.as_view(), name="index"),
    path("<int:year>/week/<int:week>/", views.BookmarkWeekView.as_view(), name="week"),
    path("<slug:slug>/", views.BookmarkDetailView.as_view(), name="detail"),
]
