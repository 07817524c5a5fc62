from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in to the editor: the lockout page (django-axes counts the failures), and
    two-factor sign-in with an authenticator app and recovery codes (django-otp)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Signing in"

    def ready(self) -> None:
        from django.contrib import admin

        from accounts.forms import SignInForm

        # Whatever AdminSite class serves the admin, its login asks for the second factor.
        admin.site.login_form = SignInForm
        admin.site.login_template = "accounts/login.html"
