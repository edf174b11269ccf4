"""What every printed form shares: local dates in words, the header of the issuing unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.documents import Header, date_line, number_line
from motcua.core.documents.model import BLANK
from motcua.core.localtime import LOCAL_TZ
from motcua.dossiers.models import Dossier
from motcua.dossiers.printing.sets import FormSpec


def local(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(LOCAL_TZ)


def day_text(instant: dt.datetime | dt.date | None) -> str:
    """dd/mm/yyyy of the local day, dots when unknown."""
    if instant is None:
        return BLANK
    day = local(instant).date() if isinstance(instant, dt.datetime) else instant
    return day.strftime("%d/%m/%Y")


def clock_text(instant: dt.datetime | None) -> str:
    """ "09 giờ 05 phút, ngày 23/11/2026" in the local zone."""
    if instant is None:
        return BLANK
    at = local(instant)
    return _("%(hour)s h %(minute)s, on %(day)s") % {
        "hour": f"{at.hour:02d}",
        "minute": f"{at.minute:02d}",
        "day": at.strftime("%d/%m/%Y"),
    }


def reception_day(dossier: Dossier) -> dt.date:
    """The day that chooses the form set: reception, else submission, else today."""
    instant = dossier.received_at or dossier.submitted_at
    return local(instant).date() if instant else dt.datetime.now(LOCAL_TZ).date()


def header(
    unit: Any,
    *,
    issued: dt.datetime | dt.date | None,
    number: str = "",
    suffix: str = "",
    numbered: bool = True,
) -> Header:
    """The issuing unit under its parent, the number line, the place and date line."""
    if isinstance(issued, dt.datetime):
        issued = local(issued).date()
    parent = unit.parent.name if unit is not None and unit.parent_id else ""
    return Header(
        unit=unit.name if unit is not None else BLANK,
        parent=parent,
        number=number_line(number, suffix) if numbered else "",
        place_date=date_line(settings.MOTCUA_DOCUMENT_PLACE, issued),
    )


def person(user: Any) -> str:
    return str(user) if user is not None else ""


def form_title(spec: FormSpec) -> str:
    return str(spec.title)


def filename(spec: FormSpec, dossier_code: str) -> str:
    code = "".join(ch if ch.isalnum() or ch in ".-" else "_" for ch in dossier_code)
    return f"mau-{spec.number}-{code}"


def contact(personal: Mapping[str, str]) -> str:
    """The applicant's "address, phone" line, as the reader may see them (dossiers/masking.py)."""
    return ", ".join(x for x in (personal["applicant_address"], personal["applicant_phone"]) if x)
