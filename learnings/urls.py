from django.urls import path

from learnings import views

app_name = "learnings"
urlpatterns = [
    path("", views.learning_index, name="index"),
    path("<int:year>/<int:month>/<int:day>/", views.LearningDayView.as_view(), name="day"),
    path("<slug:slug>/", views.LearningDetailView.as_view(), name="detail"),
]
