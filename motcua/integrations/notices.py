"""Messages to applicants (integration.md §5): which event is which occasion, and the text.

Texts come from ``NoticeTemplate`` rows (edited in the admin), else from the defaults below.
They carry the applicant's own name, the dossier code, the look-up link and what the occasion
needs (a date, a reason, a place) — no other personal data.
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
}

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


def lookup_link(dossier: Dossier) -> str:
    query = urlencode({"code": dossier.code}) if dossier.code else ""
    return f"{settings.MOTCUA_PUBLIC_URL}{reverse('portal:lookup')}" + (
        f"?{query}" if query else ""
    )


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
    return {
        "name": dossier.applicant_name,
        "code": dossier.code or "",
        "date": _date(date),
        "reason": str(payload.get("reason", "")),
        "place": _place(dossier),
        "link": lookup_link(dossier),
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
