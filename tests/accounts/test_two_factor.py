"""Two-factor sign-in with a real TOTP code (computed here from the secret the setup page
shows, as an authenticator app would), recovery codes, and ADMIN_REQUIRE_2FA."""

import datetime
import re
import time

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from tests.accounts.conftest import PASSWORD, secret_on_page, sign_in, signed_in_user, totp

pytestmark = pytest.mark.django_db
SETUP = "/admin/two-factor/"
# The start of a TOTP time step, near now (sessions made then must not have expired).
START = datetime.datetime.fromtimestamp(time.time() // 30 * 30, datetime.UTC)


def test_the_totp_used_here_is_rfc_6238():
    # RFC 6238, appendix B: SHA-1, T = 59 s, the key "12345678901234567890": 94287082.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp(secret, at=59, digits=8) == "94287082"


def set_up(client) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on from the setup page: the secret and the recovery codes."""
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<svg width="' in html and 'class="segno"' in html  # the QR code, inline
    secret = secret_on_page(html)
    response = client.post(SETUP, {"token": totp(secret)})
    assert response.status_code == 200, response.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    return secret, codes


@pytest.fixture
def enrolled(client, editor):
    """The editor, signed in with a password, turns two-factor sign-in on, then signs out."""
    with time_machine.travel(START, tick=False):
        client.force_login(editor)
        secret, codes = set_up(client)
        client.logout()
    return secret, codes


class TestSetUp:
    def test_the_code_from_the_app_turns_it_on(self, client, editor):
        with time_machine.travel(START, tick=False):
            client.force_login(editor)
            _, codes = set_up(client)
        device = TOTPDevice.objects.get(user=editor)
        assert device.confirmed
        assert len(codes) == 10 and len(set(codes)) == 10
        assert sorted(codes) == sorted(
            StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)
        )
        # The session that set it up now counts as signed in with both factors.
        assert signed_in_user(client).is_verified()
        page = client.get(SETUP).content.decode()
        assert "Two-factor sign-in is on" in page and "10 unused recovery codes" in page

    def test_a_wrong_code_is_refused_and_nothing_changes(self, client, editor):
        client.force_login(editor)
        secret = secret_on_page(client.get(SETUP).content.decode())
        wrong = f"{(int(totp(secret)) + 1) % 10**6:06d}"
        response = client.post(SETUP, {"token": wrong})
        assert "That code does not match" in response.content.decode()
        assert not twofactor.has_second_factor(editor)
        assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()

    def test_the_page_and_its_qr_code_pass_the_policy(self, client, editor):
        client.force_login(editor)
        response = client.get(SETUP)
        html = response.content.decode()
        assert response.status_code == 200 and '<div class="qr-code"><svg' in html
        assert " style=" not in html and "<script>" not in html and "data:" not in html

    def test_moving_to_a_new_phone_retires_the_old_app(self, client, editor, enrolled):
        old_secret, _ = enrolled
        with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
            assert sign_in(client, code=totp(old_secret)).status_code == 302
            new_secret = secret_on_page(client.get(SETUP).content.decode())
            assert new_secret != old_secret
            client.post(SETUP, {"token": totp(new_secret)})
        assert TOTPDevice.objects.filter(user=editor).count() == 1
        client.logout()
        with time_machine.travel(START + datetime.timedelta(minutes=2), tick=False):
            assert sign_in(client, code=totp(old_secret)).status_code == 200
        with time_machine.travel(START + datetime.timedelta(minutes=2, seconds=5), tick=False):
            assert sign_in(client, code=totp(new_secret)).status_code == 302


class TestSignIn:
    def test_the_password_alone_no_longer_signs_in(self, client, enrolled):
        with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
            response = sign_in(client)
        assert response.status_code == 200
        assert "and your two-factor code if you have turned it on" in response.content.decode()
        assert not signed_in_user(client).is_authenticated

    def test_password_and_the_apps_current_code_sign_in(self, client, editor, enrolled):
        secret, _ = enrolled
        with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
            response = sign_in(client, code=totp(secret))
            assert response.status_code == 302
            user = signed_in_user(client)
        assert user == editor and user.is_verified()

    def test_a_code_is_not_accepted_twice(self, client, enrolled):
        secret, _ = enrolled
        with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
            code = totp(secret)
            assert sign_in(client, code=code).status_code == 302
            client.logout()
            assert sign_in(client, code=code).status_code == 200

    def test_after_a_wrong_code_the_next_try_waits(self, client, enrolled):
        """django-otp's throttle: each failure doubles the wait before the next check."""
        secret, _ = enrolled
        with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
            assert sign_in(client, code="000000").status_code == 200
            assert sign_in(client, code=totp(secret)).status_code == 200  # too soon
        with time_machine.travel(START + datetime.timedelta(minutes=1, seconds=3), tick=False):
            assert sign_in(client, code=totp(secret)).status_code == 302

    def test_a_wrong_code_fails_like_a_wrong_password(self, client, enrolled):
        wrong_code = sign_in(client, code="000000").content.decode()
        wrong_password = sign_in(client, password="nope").content.decode()
        message = "Please enter the correct username and password for a staff account"
        assert message in wrong_code and message in wrong_password

    def test_wrong_codes_count_towards_the_lockout(self, client, enrolled):
        statuses = [sign_in(client, code=f"{n:06d}").status_code for n in range(5)]
        assert statuses == [200] * 4 + [429]

    def test_a_recovery_code_signs_in_once(self, client, editor, enrolled):
        _, codes = enrolled
        assert sign_in(client, code=codes[0].upper()).status_code == 302
        assert signed_in_user(client).is_verified()
        client.logout()
        assert sign_in(client, code=codes[0]).status_code == 200
        assert twofactor.recovery_codes_left(editor) == 9

    def test_new_recovery_codes_replace_the_old(self, client, editor, enrolled):
        _, old = enrolled
        assert sign_in(client, code=old[0]).status_code == 302
        response = client.post("/admin/two-factor/recovery-codes/")
        new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
        assert len(new) == 10 and not set(new) & set(old)
        client.logout()
        assert sign_in(client, code=old[1]).status_code == 200
        with time_machine.travel(datetime.timedelta(seconds=5)):  # past the throttle
            assert sign_in(client, code=new[0]).status_code == 302

    def test_new_recovery_codes_need_the_second_factor(self, client, editor, enrolled):
        client.force_login(editor)  # a password-only session, as before it was set up
        response = client.post("/admin/two-factor/recovery-codes/")
        assert response.status_code == 302
        assert twofactor.recovery_codes_left(editor) == 10


class TestRequired:
    @pytest.fixture(autouse=True)
    def _required(self, settings):
        settings.ADMIN_REQUIRE_2FA = True

    def test_without_it_the_admin_leads_to_the_setup_page(self, client, editor):
        response = sign_in(client)
        assert response.status_code == 302  # the password was right
        response = client.get("/admin/", follow=True)
        assert response.redirect_chain == [(SETUP, 302)]
        assert "This site requires two-factor sign-in" in response.content.decode()
        assert client.get("/admin/posts/post/add/")["Location"] == SETUP

    def test_without_it_the_editor_endpoints_refuse(self, client, editor):
        sign_in(client)
        response = client.post("/markdownx/markdownify/", {"content": "# Hi"})
        assert response.status_code == 403
        assert b"Two-factor sign-in is required" in response.content

    def test_once_set_up_the_admin_opens(self, client, editor):
        sign_in(client)
        with time_machine.travel(START, tick=False):
            set_up(client)
        assert client.get("/admin/").status_code == 200
        response = client.post("/markdownx/markdownify/", {"content": "# Hi"})
        assert response.status_code == 200

    def test_an_older_session_signs_in_again_with_the_code(self, client, editor, enrolled):
        client.force_login(editor)  # password-only, begun before two-factor was on
        response = client.get("/admin/", follow=True)
        assert response.redirect_chain[-1][0].startswith("/admin/login/")
        assert not signed_in_user(client).is_authenticated

    def test_public_pages_are_unaffected(self, client, editor, one_of_each):
        sign_in(client)
        assert client.get("/").status_code == 200


def test_not_required_locally_a_password_signs_in(client, editor, settings):
    assert settings.ADMIN_REQUIRE_2FA is False
    assert sign_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("password", ["1", "admin", "password123", "12345678901234", "editor2026"])
def test_weak_passwords_are_refused(editor, password):
    with pytest.raises(ValidationError):
        validate_password(password, editor)


def test_a_good_password_passes(editor):
    validate_password(PASSWORD, editor)
