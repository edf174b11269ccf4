"""Form 07 (2018's 06): the dossier register of a unit for a period, as PDF, DOCX and XLSX."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.selectors import ALL, user_agency_ids
from motcua.catalog.models import Agency
from motcua.catalog.selectors import agency_subtree_ids
from motcua.core.documents import Document, Paragraph, Signature, Table
from motcua.core.errors import MotcuaError, NotFound
from motcua.dossiers.masking import Viewer
from motcua.dossiers.models import Dossier
from motcua.dossiers.printing.common import contact, day_text, header
from motcua.dossiers.printing.sets import REGISTER, form_spec
from motcua.dossiers.selectors import dossier_list
from motcua.stats.periods import Period

# A register longer than this is refused: a shorter period, or the XLSX, serves. Measured on
# one core: WeasyPrint 200 rows in 5 s but 500 in 26 s (long tables cost more per row),
# python-docx some 150 rows a second; these keep a download within about 15 seconds.
MAX_ROWS = {"pdf": 400, "docx": 2000, "xlsx": 100000}


def register_units(*, user: Any) -> QuerySet[Agency]:
    """The units whose register ``user`` may print: the agencies the user works for."""
    ids = user_agency_ids(user=user)
    qs = Agency.objects.select_related("parent").order_by("code")
    return qs if ids is ALL else qs.filter(pk__in=ids)


def register_unit(*, user: Any, unit_id: int) -> Agency:
    unit = register_units(user=user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(_("unit not found"))
    return unit


def register_dossiers(*, user: Any, unit: Agency, period: Period) -> QuerySet[Dossier]:
    """Dossiers the unit (with its subtree) handles or received, received in the period, among
    those ``user`` may see, in reception order."""
    subtree = agency_subtree_ids(roots=[unit.pk])
    qs = dossier_list(user=user, received_from=period.start, received_to=period.end)
    qs = qs.filter(Q(agency_id__in=subtree) | Q(receiving_unit_id__in=subtree))
    return qs.order_by("received_at", "id")


def _returned(dossier: Dossier) -> str:
    if dossier.delivered_at:
        return day_text(dossier.delivered_at)
    return ""


def _how(dossier: Dossier) -> str:
    if dossier.outcome and dossier.outcome != "resolved":
        return str(dossier.get_outcome_display())
    return str(dossier.get_delivery_channel_display() or "")


def register(*, user: Any, unit: Agency, period: Period, fmt: str = "pdf") -> Document:
    """Form 07 of ``unit`` for ``period``, with the applicants' contact as ``user`` may see it."""
    viewer = Viewer(user)
    spec = form_spec(REGISTER, period.end)
    dossiers = register_dossiers(user=user, unit=unit, period=period)
    limit = MAX_ROWS.get(fmt, MAX_ROWS["pdf"])
    count = dossiers.count()
    if count > limit:
        raise MotcuaError(
            _(
                "The register holds %(count)s dossiers, more than %(limit)s for this format: "
                "choose a shorter period or the XLSX file."
            )
            % {"count": count, "limit": limit}
        )
    rows = tuple(
        (
            str(i),
            d.code or "",
            d.procedure.name,
            d.applicant_name,
            contact(viewer.personal(d)),
            d.agency.name,
            day_text(d.received_at),
            "" if d.one_way else day_text(d.due_at),
            _returned(d),
            _how(d),
            "",
        )
        for i, d in enumerate(dossiers.select_related("procedure", "agency"), start=1)
    )
    table = Table(
        columns=(
            _("No."),
            _("Dossier code"),
            _("Procedure"),
            _("Applicant"),
            _("Address, phone"),
            _("Agency in charge"),
            _("Received on"),
            _("Appointment"),
            _("Result returned on"),
            _("How the result was received"),
            _("Signature of receipt"),
        ),
        rows=rows,
        widths=(0.7, 3.3, 3, 1.7, 2, 1.7, 1.45, 1.45, 1.45, 1.3, 1),
        dense=True,
        numbers=True,
    )
    subtitle = _("From %(start)s to %(end)s") % {
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
    }
    return Document(
        header=header(unit, issued=timezone.now(), numbered=False),
        title=str(spec.title),
        subtitle=subtitle,
        form_label=spec.label,
        paper=spec.paper,
        orientation=spec.orientation,
        blocks=(
            table,
            Paragraph(_("Total: %(count)s dossiers.") % {"count": len(rows)}, indent=False),
        ),
        signatures=(Signature(_("Register keeper"), _("(signature, full name)")),),
        filename=f"mau-{spec.number}-so-theo-doi-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
        meta={
            "kind": spec.kind,
            "circular": spec.circular,
            "number": spec.number,
            "rows": len(rows),
        },
    )
