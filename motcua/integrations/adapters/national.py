"""The national public service portal (DVCQG): wire format and client (integration.md §2).

Everything the portal's format needs is here: service names, field names, the status codes of
§2, the time format, the login session. Payloads are built when the event is recorded (inside
its transaction), so each message carries the dossier as it was right after that event.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from motcua.catalog.models import Agency, Procedure
from motcua.core.generations import memo, remembered
from motcua.dossiers.choices import (
    ApplicantKind,
    Channel,
    DeliveryChannel,
    DossierState,
    EventType,
    RatingValue,
)
from motcua.dossiers.models import Dossier, DossierEvent, Rating, SupplementWait
from motcua.integrations.adapters import Outcome
from motcua.integrations.http import Unreachable, post_json

DOSSIER = "DongBoHoSoMC"
PROGRESS = "CapNhatTienDoHoSoMC"
RATING = "DongBoDanhGia"

# §2 TrangThaiHoSo, one code for every state (tests/integrations/test_national_status.py). A
# refusal after reception is reported as 3 (refused), a one-way procedure filed at reception as 10
# (closed, nothing left to deliver), an online dossier sent back by the pre-check for changes as 1
# (registered online, not yet accepted): see docs/decisions.md.
STATUS: dict[str, int] = {
    DossierState.SUBMITTED: 1,
    DossierState.RETURNED: 1,
    DossierState.RECEIVED: 2,
    DossierState.NOT_RECEIVED: 3,
    DossierState.REFUSED: 3,
    DossierState.IN_PROCESS: 4,
    DossierState.TRANSFERRING: 4,
    DossierState.AWAITING_SUPPLEMENT: 5,
    DossierState.WITHDRAWN: 7,
    DossierState.STOPPED: 8,
    DossierState.RESOLVED: 9,
    DossierState.DELIVERED: 10,
    DossierState.FILED: 10,
}
CHANNEL = {Channel.DIRECT: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}
DELIVERY = {DeliveryChannel.COUNTER: 0, DeliveryChannel.POSTAL: 1, DeliveryChannel.ONLINE: 2}
APPLICANT = {ApplicantKind.PERSON: 1, ApplicantKind.ORGANISATION: 2}
SATISFACTION = {
    RatingValue.VERY_SATISFIED: 1,
    RatingValue.SATISFIED: 2,
    RatingValue.DISSATISFIED: 3,
}
RECEPTION_EVENTS = {EventType.SUBMIT, EventType.RECEIVE, EventType.FILE, EventType.PRECHECK_ACCEPT}
# States only an online submission not (yet) received can be in: the workflow allows a
# supplement request only after reception.
NEVER_RECEIVED = frozenset(
    {DossierState.SUBMITTED, DossierState.RETURNED, DossierState.NOT_RECEIVED}
)

# The MaHoSoQG of a dossier being created from a push of the portal (set by the inbound API
# while it calls the dossier services, before the reference row exists).
incoming_ref: contextvars.ContextVar[str] = contextvars.ContextVar("incoming_ref", default="")


@contextmanager
def receiving_from_portal(national_ref: str) -> Iterator[None]:
    token = incoming_ref.set(national_ref)
    try:
        yield
    finally:
        incoming_ref.reset(token)


def enabled() -> bool:
    return bool(settings.MOTCUA_NATIONAL_URL)


def stamp(value: dt.datetime | None) -> str:
    """Local time as yyyyMMddHHmmss; "" for none."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y%m%d%H%M%S")


def national_ref(dossier: Dossier) -> str:
    """The dossier's MaHoSoQG, or "". While a push of the portal is being received, the only
    dossier written is the one it creates: its reference is known without reading it back."""
    from motcua.integrations.models import NationalDossier

    incoming = incoming_ref.get()
    if incoming:
        return incoming
    found = (
        NationalDossier.objects.filter(dossier_id=dossier.pk)
        .values_list("national_ref", flat=True)
        .first()
    )
    return found or ""


def _procedure(procedure_id: int) -> dict[str, str]:
    def load() -> dict[str, str]:
        p = Procedure.objects.select_related("field").get(pk=procedure_id)
        return {
            "MaTTHC": p.code,
            "TenTTHC": p.name,
            "MaLinhVuc": p.field.code,
            "TenLinhVuc": p.field.name,
        }

    return remembered(memo("catalogue"), ("national_procedure", procedure_id), load)


def _agency(agency_id: int | None) -> tuple[str, str]:
    if agency_id is None:
        return "", ""

    def load() -> tuple[str, str]:
        a = Agency.objects.only("code", "name").get(pk=agency_id)
        return a.code, a.name

    return remembered(memo("catalogue"), ("national_agency", agency_id), load)


def dossier_item(dossier: Dossier, seq: int, ref: str | None = None) -> dict[str, Any]:
    """The DongBoHoSoMC item: the dossier as it is now, ``seq`` its last event's number."""
    supplements = [
        {
            "NgayYeuCau": stamp(w.requested_at),
            "NgayBoSung": stamp(w.received_at),
            "NgayHenTraTruoc": stamp(w.due_before),
            "NgayHenTraMoi": stamp(w.due_after),
        }
        for w in (
            ()  # never received: no supplement can have been asked (nothing to read)
            if dossier.state in NEVER_RECEIVED
            else SupplementWait.objects.filter(dossier_id=dossier.pk).order_by("requested_at", "pk")
        )
    ]
    return {
        "MaHoSo": dossier.code or "",
        "MaHoSoQG": national_ref(dossier) if ref is None else ref,
        **_procedure(dossier.procedure_id),
        "MaCoQuan": _agency(dossier.agency_id)[0],
        "MaDonViTiepNhan": _agency(dossier.receiving_unit_id or dossier.agency_id)[0],
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": APPLICANT.get(dossier.applicant_kind, 4),
        "MaDoiTuong": dossier.applicant_id_number,
        "SoDienThoai": dossier.applicant_phone,
        "Email": dossier.applicant_email,
        "TrichYeuHoSo": dossier.note,
        "NgayTiepNhan": stamp(dossier.received_at),
        "NgayHenTra": stamp(dossier.due_at),
        "NgayTra": stamp(dossier.delivered_at),
        "NgayKetThucXuLy": stamp(dossier.closed_at),
        "TrangThaiHoSo": STATUS[dossier.state],
        "KenhThucHien": CHANNEL.get(dossier.channel, 1),
        "HinhThucTraKQ": DELIVERY.get(dossier.delivery_channel, 0),
        "DanhSachHoSoBoSung": supplements,
        "STT": seq,
    }


def _what_happened(event: DossierEvent) -> str:
    with translation.override("vi"):
        text = str(EventType(event.type).label) if event.type in EventType.values else event.type
    detail = next(
        (
            str(event.payload[k])
            for k in ("reason", "result", "step", "note")
            if event.payload.get(k)
        ),
        "",
    )
    return f"{text}: {detail}" if detail else text


def progress_item(dossier: Dossier, event: DossierEvent, ref: str) -> dict[str, Any]:
    actor = event.actor
    return {
        "MaHoSo": dossier.code or "",
        "MaHoSoQG": ref,
        "STT": event.seq,
        "NguoiXuLy": str(actor) if actor is not None else "",
        "ChucDanh": "",
        "ThoiDiemXuLy": stamp(event.at),
        "PhongBanXuLy": _agency(dossier.agency_id)[1],
        "NoiDungXuLy": _what_happened(event),
        "TrangThai": STATUS[event.to_state],
        "NgayBatDau": stamp(dossier.received_at or dossier.submitted_at),
        "NgayKetThucTheoQuyDinh": stamp(dossier.due_at),
    }


def rating_item(dossier: Dossier, rating: Rating, ref: str, seq: int) -> dict[str, Any]:
    return {
        "MaHoSo": dossier.code or "",
        "MaHoSoQG": ref,
        "STT": seq,
        "MucDoHaiLong": SATISFACTION[rating.value],
        "ThoiDiemDanhGia": stamp(rating.at),
    }


def messages_for_event(dossier: Dossier, event: DossierEvent) -> list[tuple[str, dict[str, Any]]]:
    """DongBoHoSoMC on reception and every change of state, CapNhatTienDoHoSoMC for every event,
    DongBoDanhGia for a rating — in that order. A dossier the portal cannot name yet (an online
    submission made here, with neither code nor MaHoSoQG) is reported once it has its code."""
    ref = national_ref(dossier)
    if not dossier.code and not ref:
        return []
    out: list[tuple[str, dict[str, Any]]] = []
    if event.type in RECEPTION_EVENTS or event.from_state != event.to_state:
        out.append((DOSSIER, dossier_item(dossier, event.seq, ref)))
    out.append((PROGRESS, progress_item(dossier, event, ref)))
    if event.type == EventType.RATE:
        rating = Rating.objects.filter(pk=event.payload.get("rating_id")).first()
        if rating is not None:
            out.append((RATING, rating_item(dossier, rating, ref, event.seq)))
    return out


# --- client --------------------------------------------------------------------------------

_session_lock = threading.Lock()
_session: dict[str, str] = {}


def _login() -> str:
    base = settings.MOTCUA_NATIONAL_URL
    status, answer = post_json(
        f"{base}/login",
        {"username": settings.MOTCUA_NATIONAL_USER, "password": settings.MOTCUA_NATIONAL_PASSWORD},
        timeout=settings.MOTCUA_SYNC_TIMEOUT_SECONDS,
    )
    if status == 401:
        raise Refused(f"login refused (HTTP 401): {answer}")
    if status >= 500:
        raise Unreachable(f"login: HTTP {status}")
    if status != 200 or not isinstance(answer, dict) or not answer.get("session"):
        raise Refused(f"login: unexpected answer HTTP {status}: {answer}")
    return str(answer["session"])


class Refused(Exception):
    pass


def _current_session(stale: str | None = None) -> str:
    """The shared session; logs in when there is none or when ``stale`` is the one in use."""
    with _session_lock:
        session = _session.get("value")
        if session is None or session == stale:
            session = _session["value"] = _login()
        return session


def forget_session() -> None:
    with _session_lock:
        _session.clear()


def send(kind: str, payloads: list[dict[str, Any]]) -> Outcome:
    """POST {base}/data with every item of one service; one answer for the whole call."""
    base = settings.MOTCUA_NATIONAL_URL
    stale: str | None = None
    for _attempt in range(3):
        try:
            session = _current_session(stale)
            status, answer = post_json(
                f"{base}/data",
                {
                    "session": session,
                    "madonvi": settings.MOTCUA_NATIONAL_UNIT,
                    "service": kind,
                    "data": payloads,
                },
                timeout=settings.MOTCUA_SYNC_TIMEOUT_SECONDS,
            )
        except Unreachable as exc:
            return Outcome.retry(str(exc))
        except Refused as exc:
            return Outcome.refused(str(exc))
        if status >= 500:
            return Outcome.retry(f"HTTP {status}: {str(answer)[:500]}")
        if status != 200 or not isinstance(answer, dict):
            return Outcome.refused(f"HTTP {status}: {str(answer)[:500]}")
        code = answer.get("error_code")
        if code == 0:
            return Outcome.sent(str(answer.get("message", ""))[:500])
        if code == 1:  # session expired: log in again and send again at once
            stale = session
            continue
        return Outcome.refused(f"error_code {code}: {answer.get('message', '')}"[:1000])
    return Outcome.retry("the session expired again right after logging in")


BATCHABLE = True
