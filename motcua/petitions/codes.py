"""Petition codes and secrets: short, unambiguous, and the secret kept only as a digest."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# Unambiguous letters and digits (no 0/O, 1/I/L) for codes and secrets read aloud or retyped.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SECRET_LENGTH = 10


def random_text(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def secret_digest(code: str, secret: str) -> str:
    return hashlib.sha256(f"{code}:{secret.strip().upper()}".encode()).hexdigest()


def secret_matches(secret_hash: str, code: str, secret: str) -> bool:
    return hmac.compare_digest(secret_hash, secret_digest(code, secret))
