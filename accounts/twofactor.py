"""Two-factor sign-in: a TOTP authenticator app (RFC 6238) and single-use recovery codes,
kept as django-otp devices. Plain functions, so the views stay thin and tests call these."""

from base64 import b32encode

import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODES = 10


def has_second_factor(user) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def normalise(token: str) -> str:
    """Codes are typed with spaces or dashes (and recovery codes in any case)."""
    return "".join(token.split()).replace("-", "").lower()


def verify(user, token: str) -> Device | None:
    """The device (the app, or the recovery codes) that accepts `token`, if one does. A used
    recovery code is deleted; a TOTP code is not accepted twice; failures are throttled
    (django-otp doubles the wait after each one), on the kind of device the code is for."""
    token = normalise(token)
    if not token:
        return None
    model = TOTPDevice if token.isdigit() and len(token) <= 8 else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(token):
                return device
    return None


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up: unconfirmed until the author types a code from it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code(device: TOTPDevice) -> SafeString:
    """The otpauth:// URI as an inline SVG (no script, no style attribute, no data: URL)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, light="#fff")
    return mark_safe(svg)  # segno's own markup, built from a URI of hex and base32 characters


def activate(request: HttpRequest, device: TOTPDevice) -> list[str]:
    """Confirm the new authenticator, retire any earlier one, start fresh recovery codes and
    mark this session as signed in with both factors. Returns the codes, shown once."""
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
    otp_login(request, device)
    return codes


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes: each one signs in once, in place of the app."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _recovery_code() -> str:
    """Eight base32 characters (40 bits). Never all digits: those are read as an app's code."""
    while (code := StaticToken.random_token()).isdigit():
        pass
    return code


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()
