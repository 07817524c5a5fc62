from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.validators import MaxLengthValidator
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor

CODE_HELP = (
    "Only if you have turned on two-factor sign-in: the 6-digit code your authenticator "
    "app shows now, or one of your recovery codes."
)


class SignInForm(AdminAuthenticationForm):
    """The admin's sign-in, with the second factor on the same form.

    A wrong or missing code fails exactly like a wrong password (same message, and counted
    by the lockout), so the form never confirms that a guessed password was right."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "Please enter the correct username and password for a staff account, and your "
            "two-factor code if you have turned it on. Fields may be case-sensitive."
        ),
    }
    otp_token = forms.CharField(
        label="Two-factor code",
        required=False,
        max_length=32,
        help_text=CODE_HELP,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets the field's max_length after the field has its validators,
        # so an overlong username would reach authenticate() and the lockout's records.
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))

    def clean(self) -> dict:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and twofactor.has_second_factor(user):
            device = twofactor.verify(user, cleaned.get("otp_token", ""))
            if device is None:
                credentials = {"username": cleaned.get("username")}
                user_login_failed.send(__name__, credentials=credentials, request=self.request)
                self.user_cache = None
                raise self.get_invalid_login_error()
            user.otp_device = device  # django_otp keeps it in the session on login
        return cleaned


class ConfirmDeviceForm(forms.Form):
    """Proves the authenticator app holds the secret before it is trusted."""

    token = forms.CharField(
        label="Code from the app",
        max_length=16,
        help_text="The 6-digit code the app shows after you add this site.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, device: TOTPDevice, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = twofactor.normalise(self.cleaned_data["token"])
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(
                "That code does not match. Check the phone's clock is right, wait for the "
                "next code and type it again (a failed try makes the next one wait a little)."
            )
        return token
