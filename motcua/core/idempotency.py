"""Idempotent ``POST`` API calls: the ``Idempotency-Key`` header.

A client that sends ``Idempotency-Key: <its own unique string>`` with a ``POST`` under
``/api/`` may send the same call again — after a timeout, a dead app host, a lost answer — and
gets the first answer (status and body) back, with ``Idempotent-Replayed: true``; the call is
not run a second time, so a retried reception never makes a second dossier.

How: the whole call runs in one transaction that first inserts the (user, key) row and, after
the view, stores the answer in it. Both commit together or not at all, so a host killed
mid-call leaves no key and no dossier and the retry runs the call afresh. A concurrent
duplicate's INSERT waits on the unique (owner, key) index until the first call commits, then
fails and the duplicate reads the stored answer (PostgreSQL; SQLite's writers queue anyway).

Answers that a retry may legitimately change are not kept (the transaction is rolled back,
nothing of the call stays): server errors (5xx), and refusals before the call ran (401, 403,
429). The same key with another method, path or body is refused with 422: a key names one
call. Keys are per user and are forgotten after ``MOTCUA_IDEMPOTENCY_KEEP_HOURS``
(`purge_idempotency_keys`, run by ``motcua idempotency_purge``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.core.models import IdempotencyKey


def _api_user(request: HttpRequest):
    """Who the API will find for the request (settings.MOTCUA_API_USER names the function, so
    that core imports no app)."""
    return import_string(settings.MOTCUA_API_USER)(request)


HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
NOT_KEPT = frozenset({401, 403, 429})


def request_fingerprint(request: HttpRequest) -> str:
    """SHA-256 of what makes a call this call: its method, path, query string and body."""
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def key_problem(key: str) -> str | None:
    """Why ``key`` cannot be an idempotency key, or None."""
    if not key.strip():
        return _("Idempotency-Key: empty")
    if len(key) > MAX_KEY_LENGTH:
        return _("Idempotency-Key: longer than %(n)d characters") % {"n": MAX_KEY_LENGTH}
    if not all(33 <= ord(c) <= 126 for c in key):
        return _("Idempotency-Key: only visible ASCII characters, no spaces")
    return None


def _refuse(message: str) -> HttpResponse:
    return HttpResponse(
        json.dumps({"detail": message}), status=422, content_type="application/json"
    )


def _replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status, content_type=record.content_type or None
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _answer_of(record: IdempotencyKey, fingerprint: str) -> HttpResponse:
    if record.fingerprint != fingerprint:
        return _refuse(
            _(
                "Idempotency-Key: '%(key)s' was already used for another request (other "
                "method, address or body); use a new key for a new request"
            )
            % {"key": record.key}
        )
    return _replay(record)


def _content(response: HttpResponse) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


class IdempotencyMiddleware:
    """Place after AuthenticationMiddleware; acts only on ``POST /api/…`` with the header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return self.get_response(request)
        problem = key_problem(key)
        if problem:
            return _refuse(problem)
        owner = _api_user(request)
        if owner is None:  # the API refuses it (401) — nothing to remember
            return self.get_response(request)
        fingerprint = request_fingerprint(request)
        done = IdempotencyKey.objects.filter(owner=owner, key=key).first()
        if done is not None:
            return _answer_of(done, fingerprint)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(
                        owner=owner, key=key, fingerprint=fingerprint
                    )
            except IntegrityError:
                # A concurrent call with this key committed first (we waited for it).
                return _answer_of(IdempotencyKey.objects.get(owner=owner, key=key), fingerprint)
            response = self.get_response(request)
            if response.status_code >= 500 or response.status_code in NOT_KEPT:
                transaction.set_rollback(True)
                return response
            body = _content(response)
            record.status = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.body = body
            record.save(update_fields=["status", "content_type", "body"])
        if getattr(response, "streaming", False):
            replay = _replay(record)
            del replay[REPLAYED_HEADER]
            return replay
        return response


def purge_idempotency_keys(*, now: dt.datetime | None = None) -> int:
    """Forget keys older than ``MOTCUA_IDEMPOTENCY_KEEP_HOURS``; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.MOTCUA_IDEMPOTENCY_KEEP_HOURS)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
