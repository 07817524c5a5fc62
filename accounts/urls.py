from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.two_factor, name="two_factor"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
