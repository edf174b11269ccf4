"""The printed forms of a dossier (Circular 03/2025/TT-VPCP forms 01–07; Circular 01/2018 for
dossiers received before 15 Sep 2025: ``sets.py``). Builders return a
``core.documents.Document``; ``core.documents.render`` makes PDF, DOCX or XLSX of it.

    offered(dossier)              -> the forms its state and history allow, for the print menu
    build(dossier, kind, n=None)  -> Document (NotFound when the form does not apply)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from motcua.core.documents import Document
from motcua.core.errors import NotFound
from motcua.dossiers.masking import Viewer
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.printing import control, letters
from motcua.dossiers.printing.common import day_text, reception_day
from motcua.dossiers.printing.sets import (
    APOLOGY,
    CONTROL,
    RECEIPT,
    REFUSAL,
    STOP,
    SUPPLEMENT,
    form_spec,
)
from motcua.dossiers.selectors import dossier_events

# Printed documents are Vietnamese official papers, whatever the reader's interface language.
DOCUMENT_LANGUAGE = "vi"


@dataclass(frozen=True)
class Offer:
    kind: str
    number: str
    title: str
    n: int | None = None  # which one, when the dossier has several (supplement requests, apologies)
    when: str = ""


def _events(dossier: Dossier) -> list[DossierEvent]:
    return list(dossier_events(dossier=dossier))


def offered(dossier: Dossier, events: list[DossierEvent] | None = None) -> list[Offer]:
    """The forms that apply to the dossier now, in form order."""
    events = _events(dossier) if events is None else events
    day = reception_day(dossier)
    offers: list[Offer] = []

    def add(kind: str, n: int | None = None, when: str = "") -> None:
        spec = form_spec(kind, day)
        offers.append(Offer(kind, spec.number, str(spec.title), n, when))

    received = dossier.received_at is not None and bool(dossier.code)
    with translation.override(DOCUMENT_LANGUAGE):
        if received:
            add(RECEIPT)
        for i, e in enumerate(letters.supplement_events(events), start=1):
            add(SUPPLEMENT, i, day_text(e.at))
        if letters.refusal_event(events) is not None:
            add(REFUSAL)
        for i, a in enumerate(dossier.apologies.all(), start=1):
            add(APOLOGY, i, day_text(a.issued_at))
        if letters.stop_event(events) is not None:
            add(STOP)
        if received:
            add(CONTROL)
    offers.sort(key=lambda o: o.number)
    return offers


def _nth(items: list, n: int | None):
    if not items:
        return None
    if n is None:
        return items[-1]
    return items[n - 1] if 1 <= n <= len(items) else None


def build(dossier: Dossier, kind: str, n: int | None = None, *, viewer: Viewer) -> Document:
    """The form ``kind`` of the dossier (the ``n``-th supplement request or apology, the last
    by default), the applicant's data as ``viewer`` may see them; NotFound when it does not
    apply to this dossier."""
    events = _events(dossier)
    personal = viewer.personal(dossier)
    missing = NotFound(_("this form does not apply to this dossier"))
    received = dossier.received_at is not None and bool(dossier.code)
    with translation.override(DOCUMENT_LANGUAGE):
        if kind == RECEIPT and received:
            return letters.receipt(dossier, events, personal=personal)
        if kind == SUPPLEMENT and (e := _nth(letters.supplement_events(events), n)):
            return letters.supplement_request(dossier, e, personal=personal)
        if kind == REFUSAL and (e := letters.refusal_event(events)):
            return letters.refusal(dossier, e, personal=personal)
        if kind == APOLOGY and (a := _nth(list(dossier.apologies.all()), n)):
            return letters.apology(dossier, a, events)
        if kind == STOP and (e := letters.stop_event(events)):
            return letters.stop_notice(dossier, e, personal=personal)
        if kind == CONTROL and received:
            return control.control_sheet(dossier, events, personal=personal)
    raise missing
