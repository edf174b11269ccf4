"""Messages to applicants (integration.md §5): which event is which occasion, and the text.

Texts come from ``NoticeTemplate`` rows (edited in the admin), else from the defaults below.
They carry the applicant's own name, the dossier code, the look-up link and what the occasion
needs (a date, a reason, a place) — no other personal data.

Two occasions concern online submissions (``portal``), which have no dossier code yet: their
``{code}`` is the tracking code. ``submission`` is not caused by an event alone: it carries the
secret, which only the portal's filing service holds, so that service queues it
(``outbox.queue_notice``) in its own transaction. The secret never enters a payload: the text
keeps the placeholder ``{secret}`` (``SECRET_SLOT``), ``OutboxMessage.secret`` holds the value
until the message is sent (``delivery``), then it is wiped.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.choices import DeliveryChannel, EventType
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.models import NoticeTemplate, Occasion

OCCASIONS: dict[str, str] = {
    EventType.RECEIVE: Occasion.RECEPTION,
    EventType.PRECHECK_ACCEPT: Occasion.RECEPTION,
    EventType.SUPPLEMENT_REQUEST: Occasion.SUPPLEMENT,
    EventType.REFUSE: Occasion.REFUSAL,
    EventType.PRECHECK_REFUSE: Occasion.REFUSAL,
    EventType.RESOLVE: Occasion.RESULT,
    EventType.APOLOGIZE: Occasion.APOLOGY,
    EventType.STOP: Occasion.STOP,
    EventType.PRECHECK_RETURN: Occasion.CORRECTION,
}
# Left in the stored text in place of the secret; delivery fills it in (fill_secret).
SECRET_SLOT = "{secret}"

# (subject, text) per occasion; SMS uses the text only.
DEFAULTS: dict[str, tuple[str, str]] = {
    Occasion.RECEPTION: (
        "Đã tiếp nhận hồ sơ {code}",
        "Kính gửi {name}: hồ sơ {code} đã được tiếp nhận, hẹn trả kết quả {date}. Tra cứu: {link}",
    ),
    Occasion.SUPPLEMENT: (
        "Hồ sơ {code} cần bổ sung",
        "Kính gửi {name}: hồ sơ {code} cần bổ sung: {reason}. Tra cứu: {link}",
    ),
    Occasion.REFUSAL: (
        "Hồ sơ {code} không được giải quyết",
        "Kính gửi {name}: hồ sơ {code} bị từ chối, lý do: {reason}. Tra cứu: {link}",
    ),
    Occasion.RESULT: (
        "Hồ sơ {code} đã có kết quả",
        "Kính gửi {name}: hồ sơ {code} đã có kết quả, nhận tại: {place}. Tra cứu: {link}",
    ),
    Occasion.APOLOGY: (
        "Xin lỗi về hồ sơ {code}",
        "Kính gửi {name}: xin lỗi vì hồ sơ {code} bị chậm, hẹn lại ngày {date}. Tra cứu: {link}",
    ),
    Occasion.STOP: (
        "Dừng giải quyết hồ sơ {code}",
        "Kính gửi {name}: hồ sơ {code} đã dừng giải quyết, lý do: {reason}. Tra cứu: {link}",
    ),
    Occasion.SUBMISSION: (
        "Đã nhận hồ sơ nộp trực tuyến {code}",
        "Kính gửi {name}: đã nhận hồ sơ nộp trực tuyến, mã theo dõi {code}, mã bí mật {secret}"
        " (không cho người khác biết). Tra cứu: {link}",
    ),
    Occasion.CORRECTION: (
        "Hồ sơ {code} cần sửa, bổ sung",
        "Kính gửi {name}: hồ sơ {code} cần sửa trước khi tiếp nhận: {reason}. Sửa hồ sơ bằng mã"
        " theo dõi và mã bí mật tại: {link}",
    ),
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _date(value: Any) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = timezone.datetime.fromisoformat(value)
    return timezone.localtime(value).strftime("%d/%m/%Y")


def tracking_code(dossier: Dossier) -> str:
    """The code the applicant knows: the dossier's, else its online submission's tracking code."""
    if dossier.code:
        return dossier.code
    submission = getattr(dossier, "online_submission", None)  # portal.OnlineSubmission
    return submission.reference if submission is not None else ""


def lookup_link(dossier: Dossier, *, page: str = "portal:lookup") -> str:
    code = tracking_code(dossier)
    query = urlencode({"code": code}) if code else ""
    return f"{settings.MOTCUA_PUBLIC_URL}{reverse(page)}" + (f"?{query}" if query else "")


def _place(dossier: Dossier) -> str:
    if dossier.delivery_channel == DeliveryChannel.POSTAL:
        return "qua bưu chính về địa chỉ đã đăng ký"
    if dossier.delivery_channel == DeliveryChannel.ONLINE:
        return "trực tuyến trên Cổng Dịch vụ công"
    unit = dossier.receiving_unit or dossier.agency
    return f"Bộ phận Một cửa {unit.name}"


def values(dossier: Dossier, event: DossierEvent) -> dict[str, str]:
    payload = event.payload
    date = payload.get("new_due_at") if event.type == EventType.APOLOGIZE else dossier.due_at
    page = "portal:correct" if event.type == EventType.PRECHECK_RETURN else "portal:lookup"
    return {
        "name": dossier.applicant_name,
        "code": tracking_code(dossier),
        "date": _date(date),
        "reason": str(payload.get("reason", "")),
        "place": _place(dossier),
        "link": lookup_link(dossier, page=page),
    }


def submission_values(dossier: Dossier) -> dict[str, str]:
    """The values of the ``submission`` occasion; the secret stays a placeholder."""
    return {
        "name": dossier.applicant_name,
        "code": tracking_code(dossier),
        "secret": SECRET_SLOT,
        "link": lookup_link(dossier),
    }


def fill_secret(payload: dict[str, Any], secret: str) -> dict[str, Any]:
    """The payload as sent: ``SECRET_SLOT`` in its texts replaced by ``secret``."""
    if not secret:
        return payload
    return {
        k: v.replace(SECRET_SLOT, secret) if isinstance(v, str) else v for k, v in payload.items()
    }


def render(occasion: str, channel: str, data: dict[str, str]) -> tuple[str, str]:
    """(subject, text) of the occasion for the channel, from the admin's template or default."""
    template = NoticeTemplate.objects.filter(occasion=occasion, channel=channel).first()
    subject, text = DEFAULTS[occasion]
    if template is not None:
        subject, text = template.subject or subject, template.text
    return subject.format_map(_Blank(data)), text.format_map(_Blank(data))


def occasion_of(event: DossierEvent) -> str | None:
    return OCCASIONS.get(event.type)
