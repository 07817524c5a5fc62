"""Signing in: a staff user with a real password, and an RFC 6238 TOTP written out here, so
the codes the tests type are the ones an authenticator app would show."""

import base64
import hmac
import re
import time

import pytest
from django.contrib.auth.models import Permission

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


def totp(secret: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    secret = secret.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step).to_bytes(8, "big")
    digest = hmac.new(key, counter, "sha1").digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"


def sign_in(client, username: str = "editor", password: str = PASSWORD, code: str = "", **extra):
    data = {"username": username, "password": password, "otp_token": code, "next": "/admin/"}
    return client.post(LOGIN, data, **extra)


def signed_in_user(client):
    return client.get("/admin/").wsgi_request.user


def secret_on_page(html: str) -> str:
    return re.search(r'<code class="otp-secret">([A-Z2-7 ]+)</code>', html).group(1)


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "e@example.com", PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_post"))
    return user
