"""E-mail to applicants through Django's e-mail backend (console in development)."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations import notices
from motcua.integrations.adapters import Outcome

BATCHABLE = False


def enabled() -> bool:
    return bool(settings.MOTCUA_EMAIL_NOTICES)


def messages_for_event(dossier: Dossier, event: DossierEvent) -> list[tuple[str, dict[str, Any]]]:
    occasion = notices.occasion_of(event)
    if occasion is None:
        return []
    return messages_for_occasion(dossier, occasion, lambda: notices.values(dossier, event))


def messages_for_occasion(
    dossier: Dossier, occasion: str, values: Callable[[], dict[str, str]]
) -> list[tuple[str, dict[str, Any]]]:
    if not dossier.applicant_email.strip():
        return []
    subject, text = notices.render(occasion, "email", values())
    return [(occasion, {"to": dossier.applicant_email.strip(), "subject": subject, "text": text})]


def send(kind: str, payloads: list[dict[str, Any]]) -> Outcome:
    (payload,) = payloads
    try:
        send_mail(payload["subject"], payload["text"], None, [payload["to"]])
    except smtplib.SMTPRecipientsRefused as exc:
        return Outcome.refused(str(exc)[:500])
    except (OSError, smtplib.SMTPException) as exc:
        return Outcome.retry(str(exc)[:500])
    return Outcome.sent()
