"""Lockout after repeated failures, per username and per client address, decided before any
password is hashed; the page that says when to try again; the commands that lift it."""

import datetime

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.test import RequestFactory

from accounts.lockout import client_ip
from tests.accounts.conftest import PASSWORD, sign_in, signed_in_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def hashes(monkeypatch) -> list[str]:
    """Every password hash the server computes (checking a password, or the dummy hash
    Django computes for an unknown username)."""
    computed = []
    original = MD5PasswordHasher.encode

    def encode(self, password, salt):
        computed.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", encode)
    return computed


class TestLockout:
    def test_ten_wrong_passwords_then_the_right_one_is_refused(self, client, editor, hashes):
        statuses = [sign_in(client, password=f"guess {n}").status_code for n in range(10)]
        assert statuses == [200] * 4 + [429] * 6
        hashed_while_open = len(hashes)
        assert hashed_while_open == 5  # the guesses after the fifth were never checked

        response = sign_in(client, password=PASSWORD)
        assert response.status_code == 429
        assert not signed_in_user(client).is_authenticated
        assert len(hashes) == hashed_while_open  # refused before the password was hashed

    def test_the_page_says_when_to_try_again(self, client, editor):
        for n in range(5):
            response = sign_in(client, password=f"guess {n}")
        assert response.status_code == 429
        assert response["Retry-After"] == "900"
        html = response.content.decode()
        assert "Sign-in locked" in html and "Try again in 15 minutes" in html
        assert 'name="password"' not in html
        with time_machine.travel(datetime.timedelta(minutes=7), tick=False):
            assert "Try again in 8 minutes" in sign_in(client).content.decode()

    def test_the_lockout_ends_by_itself(self, client, editor):
        for n in range(5):
            sign_in(client, password=f"guess {n}")
        later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=16)
        with time_machine.travel(later, tick=False):
            assert sign_in(client).status_code == 302
            assert signed_in_user(client).is_authenticated

    def test_per_username_from_any_address(self, client, editor):
        for n in range(5):
            sign_in(client, password=f"guess {n}", REMOTE_ADDR=f"198.51.100.{n}")
        response = sign_in(client, REMOTE_ADDR="192.0.2.99")
        assert response.status_code == 429

    def test_per_address_whatever_the_username(self, client, editor):
        for n in range(5):
            sign_in(client, username=f"someone{n}", REMOTE_ADDR="198.51.100.7")
        assert sign_in(client, REMOTE_ADDR="198.51.100.7").status_code == 429
        # The editor, elsewhere, is not locked out by what another address did.
        assert sign_in(client, REMOTE_ADDR="192.0.2.1").status_code == 302

    def test_a_success_clears_the_count(self, client, editor):
        for n in range(4):
            sign_in(client, password=f"guess {n}")
        assert sign_in(client).status_code == 302
        client.logout()
        for n in range(4):
            assert sign_in(client, password=f"again {n}").status_code == 200

    @pytest.mark.parametrize(
        "command,args",
        [("axes_reset_username", ["editor"]), ("axes_reset_ip", ["127.0.0.1"]), ("axes_reset", [])],
    )
    def test_the_unlock_commands(self, client, editor, command, args):
        for n in range(5):
            sign_in(client, password=f"guess {n}")
        if command == "axes_reset_username":
            # Locked by address too: the username alone does not unlock this client.
            call_command("axes_reset_ip", "127.0.0.1", verbosity=0)
        call_command(command, *args, verbosity=0)
        if command == "axes_reset_ip":
            call_command("axes_reset_username", "editor", verbosity=0)
        # Workers remember a lockout for a few seconds, so the unlock reaches them by then.
        with time_machine.travel(datetime.timedelta(seconds=6)):
            assert sign_in(client).status_code == 302

    def test_a_remembered_lockout_costs_no_query(self, client, editor, django_assert_num_queries):
        for n in range(5):
            sign_in(client, password=f"guess {n}")
        with django_assert_num_queries(0):
            assert sign_in(client).status_code == 429


class TestClientAddress:
    def address(self, settings, count: int, forwarded: str | None) -> str:
        settings.TRUSTED_PROXY_COUNT = count
        headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers))

    def test_without_a_proxy_the_header_is_ignored(self, settings):
        assert self.address(settings, 0, "203.0.113.5") == "10.0.0.2"

    def test_behind_one_proxy_the_address_it_saw(self, settings):
        assert self.address(settings, 1, "203.0.113.5") == "203.0.113.5"

    def test_what_the_client_claims_is_not_believed(self, settings):
        assert self.address(settings, 1, "198.51.100.1, 203.0.113.5") == "203.0.113.5"

    def test_behind_two_proxies(self, settings):
        assert self.address(settings, 2, "spoof, 203.0.113.5, 10.0.0.9") == "203.0.113.5"

    @pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "1.2.3.4; drop table"])
    def test_missing_or_garbage_falls_back_to_the_peer(self, settings, forwarded):
        assert self.address(settings, 1, forwarded) == "10.0.0.2"

    def test_a_garbage_header_never_reaches_the_database(self, client, editor, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        response = sign_in(client, password="wrong", HTTP_X_FORWARDED_FOR="<script>")
        assert response.status_code == 200


def test_sign_in_with_the_right_password_works(client, editor):
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert signed_in_user(client) == editor


@pytest.fixture
def every_slot_taken():
    """Another worker (another database session) holds every password-check slot."""
    from django.db import connections

    from accounts.lockout import PASSWORD_CHECKS_AT_ONCE, SLOT_LOCK_CLASS

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            for slot in range(PASSWORD_CHECKS_AT_ONCE):
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [SLOT_LOCK_CLASS, slot])
        yield
    finally:
        other.close()  # its locks go with it


class TestPasswordChecksAtOnce:
    def test_a_sign_in_beyond_the_slots_is_neither_checked_nor_counted(
        self, client, editor, hashes, every_slot_taken
    ):
        from axes.models import AccessAttempt

        response = sign_in(client)
        assert response.status_code == 429
        assert response["Retry-After"] == "5"
        assert "try again in a few seconds" in response.content.decode()
        assert hashes == [] and not AccessAttempt.objects.exists()

    def test_a_free_slot_is_taken_and_given_back(self, client, editor, hashes):
        assert sign_in(client, password="wrong").status_code == 200
        assert sign_in(client).status_code == 302
        assert len(hashes) == 2


def test_any_posted_username_is_safe(client, editor):
    for username in ["a" * 5000, "sp ace\n\x00", "ünïcödé"]:
        response = sign_in(client, username=username, password="x")
        assert response.status_code in (200, 400), username
