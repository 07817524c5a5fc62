"""`Idempotency-Key` on creates: a retried request gets the first answer again, not a
second item. Keys belong to a token and are kept for IDEMPOTENCY_WINDOW."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from api.models import IDEMPOTENCY_WINDOW, IdempotentRequest
from api.problems import Problem, field_error

HEADER = "Idempotency-Key"
MAX_KEY = 200
Answer = tuple[int, dict]


def _replay(stored: IdempotentRequest, fingerprint: str, response: HttpResponse) -> Answer:
    if stored.fingerprint != fingerprint:
        message = "This key was already used for a different request; use a new key."
        raise Problem(422, message, [field_error([HEADER], message)])
    response["Idempotent-Replayed"] = "true"
    return stored.status_code, stored.response


def idempotent(request: HttpRequest, response: HttpResponse, run: Callable[[], Answer]) -> Answer:
    """`run()` once per key: a retry with the same key and body replays its answer."""
    key = request.headers.get(HEADER)
    if key is None:
        return run()
    key = key.strip()
    if not key or len(key) > MAX_KEY:
        message = f"Send 1 to {MAX_KEY} characters, e.g. a UUID."
        raise Problem(400, f"{HEADER}: {message}", [field_error([HEADER], message)])
    token = request.auth
    fingerprint = hashlib.sha256(f"{request.method} {request.path}\n".encode() + request.body)
    fingerprint = fingerprint.hexdigest()
    IdempotentRequest.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_WINDOW).delete()
    stored = IdempotentRequest.objects.filter(token=token, key=key).first()
    if stored is not None:
        return _replay(stored, fingerprint, response)
    try:
        # The create and its remembered answer commit together. (A bookmark's title fetch,
        # at most 10 s, happens inside this transaction; it holds no lock meanwhile.)
        with transaction.atomic():
            status, body = run()
            IdempotentRequest.objects.create(
                token=token, key=key, fingerprint=fingerprint, status_code=status, response=body
            )
    except IntegrityError:
        # The same key arrived twice at once: the other request's answer stands, and this
        # one's writes were rolled back with the failed insert.
        stored = IdempotentRequest.objects.filter(token=token, key=key).first()
        if stored is None:
            raise
        return _replay(stored, fingerprint, response)
    return status, body
