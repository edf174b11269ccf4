"""API tokens for other systems: random keys shown once, stored only as a SHA-256 hash.

A key is 256 random bits (``mc_`` + URL-safe base64); hashing it with SHA-256 is enough because
it cannot be guessed, and it lets a request be authenticated with one indexed look-up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from motcua.accounts.models import ApiToken, User
from motcua.core.audit import audit_record
from motcua.core.generations import memo, remembered

KEY_PREFIX = "mc_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_at: dt.datetime | None = None, actor: User | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it with its key, which is never stored or shown again."""
    name = name.strip()
    if not name:
        raise ValueError("a token needs a name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=hash_key(key), expires_at=expires_at
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        obj=token,
        payload={"user": user.username, "name": name},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit_record(actor=actor, action="api_token.revoke", obj=token, payload={"name": token.name})
    return token


def api_token_user(*, key: str) -> User | None:
    """The active user a key belongs to, or None (unknown, revoked or expired key).

    Memoised per process until a user, membership or token changes (``core.generations``)."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    digest = hash_key(key)
    found = remembered(memo("access"), ("token", digest), lambda: _active_token(digest))
    if found is None:
        return None
    user, expires_at = found
    if expires_at is not None and expires_at <= timezone.now():
        return None
    return user


def _active_token(digest: str) -> tuple[User, dt.datetime | None] | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=digest, revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    return token.user, token.expires_at


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` for other systems."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(key=token.strip())
        if user is not None:
            request.user = user
        return user


def api_auth() -> list:
    """The API's authentication: a bearer token, or the browser's session (with CSRF)."""
    return [BearerTokenAuth(), SessionAuth(csrf=True)]


def api_request_user(request: HttpRequest) -> User | None:
    """Who `api_auth` will find for ``request``: the bearer token's user, else the session's.

    For code that runs before the API view (the idempotency middleware); the view itself is
    still authenticated by `api_auth` (which also checks the session's CSRF token)."""
    scheme, _space, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        user = api_token_user(key=key.strip())
        if user is not None:
            return user
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None
