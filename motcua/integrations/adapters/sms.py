"""SMS to applicants: ``POST {MOTCUA_SMS_URL}`` JSON ``{"to": phone, "text": ...}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations import notices
from motcua.integrations.adapters import Outcome
from motcua.integrations.http import Unreachable, post_json

BATCHABLE = False


def enabled() -> bool:
    return bool(settings.MOTCUA_SMS_URL)


def messages_for_event(dossier: Dossier, event: DossierEvent) -> list[tuple[str, dict[str, Any]]]:
    occasion = notices.occasion_of(event)
    if occasion is None:
        return []
    return messages_for_occasion(dossier, occasion, lambda: notices.values(dossier, event))


def messages_for_occasion(
    dossier: Dossier, occasion: str, values: Callable[[], dict[str, str]]
) -> list[tuple[str, dict[str, Any]]]:
    if not dossier.applicant_phone.strip():
        return []
    _subject, text = notices.render(occasion, "sms", values())
    return [(occasion, {"to": dossier.applicant_phone.strip(), "text": text})]


def send(kind: str, payloads: list[dict[str, Any]]) -> Outcome:
    (payload,) = payloads
    try:
        status, answer = post_json(
            settings.MOTCUA_SMS_URL, payload, timeout=settings.MOTCUA_SYNC_TIMEOUT_SECONDS
        )
    except Unreachable as exc:
        return Outcome.retry(str(exc))
    if status >= 500:
        return Outcome.retry(f"HTTP {status}")
    if status >= 300:
        return Outcome.refused(f"HTTP {status}: {str(answer)[:500]}")
    return Outcome.sent(str(answer)[:200])
