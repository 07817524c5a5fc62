"""What django-axes asks of the site: the client's address behind the proxy, and the page a
locked-out sign-in gets (the failures themselves are counted by axes, settings section 7);
and the slots that limit how many passwords are checked at once."""

import hashlib
import ipaddress
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

# Checking a password takes a worker about half a second of CPU, by design.
PASSWORD_CHECKS_AT_ONCE = 1
# The first key of the PostgreSQL advisory locks that are the slots (any constant of ours).
SLOT_LOCK_CLASS = 0x51C1
REMEMBER_LOCKOUT_SECONDS = 5


def client_ip(request: HttpRequest) -> str:
    """The address the outermost trusted proxy saw. Each proxy appends the address it was
    reached from to X-Forwarded-For, so entries left of the trusted ones are the client's
    own claims and are never believed."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    candidate = forwarded[-count] if count and len(forwarded) >= count else ""
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return request.META.get("REMOTE_ADDR", "")


def lockout_ends(username: str | None, ip_address: str) -> datetime | None:
    """When the lockout on this username or address ends (the later of the two), if either
    has reached the failure limit within the cool-off period: axes's own rule, read in one
    query (its check makes two, and the page would need two more)."""
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
    values = {"username": username, "ip_address": ip_address}
    sums = {}
    for field, value in values.items():
        if value:
            match = Q(**{field: value})
            sums[f"{field}_failures"] = Sum("failures_since_start", filter=match)
            sums[f"{field}_last"] = Max("attempt_time", filter=match)
    found = recent.aggregate(**sums) if sums else {}
    ends = None
    for field, value in values.items():
        if (found.get(f"{field}_failures") or 0) >= settings.AXES_FAILURE_LIMIT:
            end = found[f"{field}_last"] + cool_off
            # Remembered briefly, so a flood of refused guesses costs no database round trip.
            cache.set(_remembered(field, value), end, REMEMBER_LOCKOUT_SECONDS)
            ends = max(ends or end, end)
    return ends


def _remembered(field: str, value: str | None) -> str:
    # Hashed: a username is whatever the client posted, and cache keys have rules.
    return f"signin-locked:{field}:{hashlib.sha256(str(value).encode()).hexdigest()}"


def known_lockout_ends(username: str | None, ip_address: str) -> datetime | None:
    """lockout_ends(), answered from the cache when a lockout was found in the last few
    seconds. Only lockouts are remembered, so a new one applies at once; an operator's
    unlock (`axes_reset…`) reaches every worker within REMEMBER_LOCKOUT_SECONDS."""
    keys = [_remembered("username", username), _remembered("ip_address", ip_address)]
    remembered = [end for end in cache.get_many(keys).values() if end > timezone.now()]
    return max(remembered) if remembered else lockout_ends(username, ip_address)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None,
    credentials: dict | None,
    ends: datetime | None = None,
) -> HttpResponse:
    """The "locked, try again in N minutes" page (AXES_LOCKOUT_CALLABLE), a 429."""
    ends = ends or lockout_ends(get_client_username(request, credentials), client_ip(request))
    seconds = (ends - timezone.now()).total_seconds() if ends else get_cool_off().total_seconds()
    minutes = max(1, math.ceil(seconds / 60))
    context = {
        "site_header": admin.site.site_header,
        "title": "Sign-in locked",
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@contextmanager
def password_check_slot() -> Iterator[bool]:
    """Whether one of the PASSWORD_CHECKS_AT_ONCE slots was free (it is held until the block
    ends). The slots are PostgreSQL advisory locks, so every worker and every app server
    sharing the database share them; a crashed worker's slot is freed with its connection."""
    held = None
    with connection.cursor() as cursor:
        for slot in range(PASSWORD_CHECKS_AT_ONCE):
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [SLOT_LOCK_CLASS, slot])
            if cursor.fetchone()[0]:
                held = slot
                break
    try:
        yield held is not None
    finally:
        if held is not None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [SLOT_LOCK_CLASS, held])
            except DatabaseError:
                pass  # the connection is gone, and its locks with it


def sign_in_busy(request: HttpRequest) -> HttpResponse:
    """Every slot is taken: the attempt is not checked and not counted against anyone."""
    context = {"site_header": admin.site.site_header, "title": "Sign-in busy", "busy": True}
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = "5"
    return response
