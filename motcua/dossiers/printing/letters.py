"""Forms 01–05: the receipt, the supplement request, the refusal, the apology, the notice of
stopping. Each builder reads the dossier and the event (or row) the form is about, and returns
one :class:`~motcua.core.documents.Document`, rendered to PDF and DOCX alike."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.core.documents import Document, Fields, Image, Paragraph, Signature, Table
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import Apology, Dossier, DossierEvent
from motcua.dossiers.printing.common import (
    clock_text,
    contact,
    day_text,
    filename,
    form_title,
    header,
    person,
    reception_day,
)
from motcua.dossiers.printing.sets import (
    APOLOGY,
    RECEIPT,
    REFUSAL,
    SET_2018,
    STOP,
    SUPPLEMENT,
    form_spec,
)
from motcua.worktime.selectors import calendar_for_agency

SUPPLEMENT_EVENTS = (E.SUPPLEMENT_REQUEST, E.PRECHECK_RETURN)
REFUSAL_EVENTS = (E.REFUSE, E.PRECHECK_REFUSE)


def receiving_unit(dossier: Dossier) -> Agency:
    return dossier.receiving_unit or dossier.agency


def _base_fields(dossier: Dossier, personal: Mapping[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Dossier code"), dossier.code or "—"),
        (_("Applicant"), dossier.applicant_name or "—"),
        (_("Address, phone"), contact(personal) or "—"),
        (_("Procedure"), dossier.procedure.name),
    ]


def lookup_url(dossier: Dossier) -> str:
    return f"{settings.MOTCUA_PUBLIC_URL}{reverse('portal:lookup')}?{urlencode({'code': dossier.code})}"


def qr_png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def _time_text(dossier: Dossier) -> str:
    if dossier.processing_time is None:
        return "—"
    amount = f"{dossier.processing_time.normalize():f}".replace(".", ",")
    return f"{amount} {dossier.get_time_unit_display()}"


def _doc(spec, dossier: Dossier, unit: Agency, issued, **kwargs) -> Document:
    return Document(
        header=header(
            unit, issued=issued, number=kwargs.pop("number", ""), suffix=kwargs.pop("suffix", "")
        ),
        title=form_title(spec),
        form_label=spec.label,
        paper=spec.paper,
        orientation=spec.orientation,
        filename=filename(spec, dossier.code or f"id{dossier.pk}"),
        meta={"kind": spec.kind, "circular": spec.circular, "number": spec.number},
        **kwargs,
    )


def receipt(
    dossier: Dossier, events: Sequence[DossierEvent], *, personal: Mapping[str, str]
) -> Document:
    """Form 01: what was received (only the documents ticked), when, and the appointment."""
    spec = form_spec(RECEIPT, reception_day(dossier))
    unit = receiving_unit(dossier)
    received = next((e for e in events if e.type in (E.RECEIVE, E.PRECHECK_ACCEPT, E.FILE)), None)
    documents = [d for d in dossier.documents.all() if d.submitted]
    blocks: list = [
        Image(
            qr_png(lookup_url(dossier)),
            width_mm=22,
            caption=_("Look the dossier up with its code"),
            float_right=True,
        ),
        Paragraph(_("%(unit)s has received the dossier of:") % {"unit": unit.name}),
        Fields(
            tuple(
                _base_fields(dossier, personal)
                + [
                    (_("ID number / tax code"), personal["applicant_id_number"] or "—"),
                    (_("Handling agency"), dossier.agency.name),
                ]
            )
        ),
        Paragraph(_("1. Documents submitted:"), bold=True, indent=False),
    ]
    if documents:
        blocks.append(
            Table(
                columns=(_("No."), _("Document"), _("Originals"), _("Copies")),
                rows=tuple(
                    (str(i), d.name, str(d.originals), str(d.copies))
                    for i, d in enumerate(documents, start=1)
                ),
                widths=(0.6, 5, 1.2, 1.2),
            )
        )
    else:
        blocks.append(Paragraph(_("(no document ticked)"), italic=True, indent=False))
    blocks += [
        Paragraph(_("2. Number of dossiers: 01 (set)"), indent=False),
        Paragraph(
            _("3. Handling time required by law: %(time)s") % {"time": _time_text(dossier)},
            indent=False,
        ),
        Paragraph(
            _("4. Time of reception: %(at)s") % {"at": clock_text(dossier.received_at)},
            indent=False,
        ),
    ]
    if dossier.one_way:
        blocks.append(
            Paragraph(
                _(
                    "5. One-way procedure: the dossier is received and filed; no result is returned."
                ),
                indent=False,
            )
        )
    else:
        blocks.append(
            Paragraph(
                _("5. Time of returning the result: %(at)s") % {"at": clock_text(dossier.due_at)},
                bold=True,
                indent=False,
            )
        )
    blocks += [
        Paragraph(
            _("6. The result is received: %(how)s")
            % {"how": dossier.get_delivery_channel_display() or _("at the counter")},
            indent=False,
        ),
    ]
    return _doc(
        spec,
        dossier,
        unit,
        dossier.received_at,
        blocks=tuple(blocks),
        signatures=(
            Signature(_("Applicant"), _("(signature, full name)"), dossier.applicant_name),
            Signature(
                _("Receiving officer"),
                _("(signature, full name)"),
                person(received.actor if received else None),
            ),
        ),
    )


def supplement_events(events: Sequence[DossierEvent]) -> list[DossierEvent]:
    return [e for e in events if e.type in SUPPLEMENT_EVENTS]


def supplement_request(
    dossier: Dossier, event: DossierEvent, *, personal: Mapping[str, str]
) -> Document:
    """Form 02: what is missing and why, from the supplement request (or pre-check return)."""
    spec = form_spec(SUPPLEMENT, reception_day(dossier))
    at_reception = event.type == E.PRECHECK_RETURN
    unit = receiving_unit(dossier) if at_reception else dossier.agency
    reason = (event.payload or {}).get("reason", "")
    blocks: list = [
        Fields(
            tuple(
                _base_fields(dossier, personal)
                + [(_("Received on"), day_text(dossier.received_at or dossier.submitted_at))]
            )
        ),
        Paragraph(
            _(
                "After examining the dossier, %(unit)s asks you to supplement and complete it "
                "with the following:"
            )
            % {"unit": unit.name}
        ),
    ]
    blocks += [
        Paragraph(line.strip(), indent=False) for line in reason.splitlines() if line.strip()
    ]
    blocks.append(
        Paragraph(
            _(
                "Reason: the dossier lacks the above, or they do not meet the requirements, so it "
                "cannot be handled under the procedure's rules."
            )
        )
    )
    remaining = (event.payload or {}).get("remaining_seconds")
    if event.type == E.SUPPLEMENT_REQUEST:
        text = _("The handling time stops from %(at)s until the supplement is received.") % {
            "at": clock_text(event.at)
        }
        if remaining is not None and remaining > 0:
            day = calendar_for_agency(agency_id=dossier.agency_id).day_length.total_seconds()
            days = round(remaining / day, 1)
            text += " " + _("Working time left: %(days)s working days.") % {
                "days": f"{days:g}".replace(".", ",")
            }
        blocks.append(Paragraph(text))
    phone = unit.phone or "…………"
    blocks.append(
        Paragraph(
            _("For any question while completing the dossier, call %(unit)s at %(phone)s.")
            % {"unit": unit.name, "phone": phone}
        )
    )
    return _doc(
        spec,
        dossier,
        unit,
        event.at,
        blocks=tuple(blocks),
        signatures=(
            Signature(_("Guiding officer"), _("(signature, full name)"), person(event.actor)),
        ),
    )


def refusal_event(events: Sequence[DossierEvent]) -> DossierEvent | None:
    return next((e for e in reversed(events) if e.type in REFUSAL_EVENTS), None)


def refusal(dossier: Dossier, event: DossierEvent, *, personal: Mapping[str, str]) -> Document:
    """Form 03: the dossier is not received or not handled, and why."""
    spec = form_spec(REFUSAL, reception_day(dossier))
    unit = receiving_unit(dossier) if event.type == E.PRECHECK_REFUSE else dossier.agency
    reason = (event.payload or {}).get("reason", "")
    blocks = (
        Paragraph(
            _("%(unit)s has received the dossier of:") % {"unit": receiving_unit(dossier).name}
        ),
        Fields(
            tuple(
                _base_fields(dossier, personal)
                + [(_("Submitted on"), day_text(dossier.received_at or dossier.submitted_at))]
            )
        ),
        Paragraph(
            _(
                "Having examined it, %(unit)s informs you that it does not receive and handle "
                "this dossier, for the following reason:"
            )
            % {"unit": unit.name}
        ),
        *(Paragraph(line.strip(), indent=False) for line in reason.splitlines() if line.strip()),
        Paragraph(_("We inform you so that you know and act accordingly.")),
    )
    return _doc(
        spec,
        dossier,
        unit,
        event.at,
        blocks=blocks,
        signatures=(Signature(_("Officer"), _("(signature, full name)"), person(event.actor)),),
    )


def apology_event(events: Sequence[DossierEvent], letter: Apology) -> DossierEvent | None:
    """The event that recorded ``letter`` (its id in the payload; imported history: its time)."""
    mine = [e for e in events if e.type == E.APOLOGIZE]
    return next((e for e in mine if (e.payload or {}).get("apology_id") == letter.pk), None) or (
        next((e for e in mine if e.at == letter.issued_at), None)
    )


def apology(dossier: Dossier, letter: Apology, events: Sequence[DossierEvent]) -> Document:
    """Form 04: the apology with the new date; in the 2025 set also the request to extend.
    Signed by the official who issued it (the head of the agency or the one acting for it)."""
    event = apology_event(events, letter)
    spec = form_spec(APOLOGY, reception_day(dossier))
    unit = dossier.agency
    due = dossier.due_at
    blocks: list = [
        Paragraph(
            _("To: %(applicant)s") % {"applicant": dossier.applicant_name or "—"},
            align="center",
            bold=True,
        ),
        Paragraph(
            _(
                "On %(received)s, %(unit)s received your dossier (code %(code)s) for the "
                "procedure: %(procedure)s."
            )
            % {
                "received": day_text(dossier.received_at),
                "unit": receiving_unit(dossier).name,
                "code": dossier.code,
                "procedure": dossier.procedure.name,
            }
        ),
        Paragraph(
            _(
                "The appointment to return the result was %(due)s; %(agency)s has not "
                "returned the result of your dossier on time."
            )
            % {"due": clock_text(due), "agency": unit.name}
        ),
        Paragraph(_("Reason: %(reason)s") % {"reason": letter.reason}),
        Paragraph(
            _("%(agency)s apologises for this delay and the inconvenience it caused you.")
            % {"agency": unit.name}
        ),
    ]
    if spec.circular == SET_2018:
        blocks.append(
            Paragraph(
                _("The result of your dossier will be returned on %(at)s.")
                % {"at": clock_text(letter.new_due_at)},
                bold=True,
            )
        )
    else:
        blocks.append(
            Paragraph(
                _(
                    "%(agency)s asks you to agree to extend the handling time of the dossier to "
                    "%(at)s, the new date on which the result will be returned."
                )
                % {"agency": unit.name, "at": clock_text(letter.new_due_at)},
                bold=True,
            )
        )
    return _doc(
        spec,
        dossier,
        unit,
        letter.issued_at,
        blocks=tuple(blocks),
        recipients=(dossier.applicant_name or _("The applicant"), _("Filed: records.")),
        signatures=(
            Signature(
                _("Head of the agency"),
                _("(signature, full name, seal)"),
                person(event.actor) if event is not None else "",
            ),
        ),
    )


def stop_event(events: Sequence[DossierEvent]) -> DossierEvent | None:
    return next((e for e in reversed(events) if e.type == E.STOP), None)


def stop_notice(dossier: Dossier, event: DossierEvent, *, personal: Mapping[str, str]) -> Document:
    """Form 05: the handling of the dossier stops without a result, and why."""
    spec = form_spec(STOP, reception_day(dossier))
    unit = dossier.agency
    payload = event.payload or {}
    reason = payload.get("reason", "")
    blocks = (
        Paragraph(
            _(
                "Under Decree 118/2025/ND-CP of the Government on carrying out administrative "
                "procedures through the one-stop mechanism, %(agency)s gives notice that it "
                "stops handling the dossier:"
            )
            % {"agency": unit.name}
        ),
        Fields(
            tuple(
                _base_fields(dossier, personal)
                + [
                    (_("Received on"), day_text(dossier.received_at)),
                    (_("Stopped on"), clock_text(event.at)),
                ]
            )
        ),
        Paragraph(_("Reason for stopping:"), bold=True, indent=False),
        *(Paragraph(line.strip(), indent=False) for line in reason.splitlines() if line.strip()),
        Paragraph(_("The dossier is closed without a result. We inform you so that you know.")),
    )
    return _doc(
        spec,
        dossier,
        unit,
        event.at,
        number=payload.get("notice_number", ""),
        suffix="TB",
        blocks=blocks,
        recipients=(dossier.applicant_name or _("The applicant"), _("Filed: records.")),
        signatures=(
            Signature(
                _("Head of the agency"), _("(signature, full name, seal)"), person(event.actor)
            ),
        ),
    )
