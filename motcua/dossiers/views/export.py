"""GET /dossiers/export.csv|xlsx: the dossier list as the user sees it (worklist and filters),
with the applicant's ID number and phone masked unless the user handles the dossier
(``dossiers/masking.py``), every exported dossier written to the personal-data access log with
the purpose the user gave."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from openpyxl import Workbook

from motcua.core.cleaning import check_text, spreadsheet_cell
from motcua.core.csvio import format_instant, write_csv
from motcua.dossiers.masking import Viewer
from motcua.dossiers.models import Dossier
from motcua.dossiers.views.list import list_rows
from motcua.ops.models import PersonalDataAccess
from motcua.ops.personal import log_access

MAX_ROWS = 20_000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = (
    ("code", gettext_lazy("Dossier code")),
    ("applicant_name", gettext_lazy("Applicant")),
    ("applicant_id_number", gettext_lazy("ID / tax number")),
    ("applicant_phone", gettext_lazy("Phone")),
    ("procedure_code", gettext_lazy("Procedure code")),
    ("procedure", gettext_lazy("Procedure")),
    ("agency", gettext_lazy("Handling agency")),
    ("channel", gettext_lazy("Channel")),
    ("received_at", gettext_lazy("Received")),
    ("due_at", gettext_lazy("Due")),
    ("state", gettext_lazy("State")),
)


def export_rows(dossiers: list[Dossier], viewer: Viewer) -> Iterator[dict[str, Any]]:
    for d in dossiers:
        yield {
            "code": d.code or "",
            "applicant_name": d.applicant_name,
            "applicant_id_number": viewer.value(d, "applicant_id_number"),
            "applicant_phone": viewer.value(d, "applicant_phone"),
            "procedure_code": d.procedure.code,
            "procedure": d.procedure.name,
            "agency": d.agency.name,
            "channel": d.get_channel_display(),
            "received_at": format_instant(d.received_at),
            "due_at": format_instant(d.due_at),
            "state": d.get_state_display(),
        }


def _csv(rows: Iterator[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheet programs read UTF-8
    labels = [capfirst(str(label)) for _key, label in COLUMNS]
    keys = [key for key, _label in COLUMNS]
    write_csv(out, labels, (dict(zip(labels, (r[k] for k in keys), strict=True)) for r in rows))
    return out.getvalue().encode("utf-8")


def _xlsx(rows: Iterator[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Dossiers"))[:31]
    sheet.append([capfirst(str(label)) for _key, label in COLUMNS])
    for row in rows:
        sheet.append([spreadsheet_cell(row[key]) for key, _label in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class DossierExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt not in CONTENT_TYPES:
            raise Http404(fmt)
        purpose = (request.GET.get("purpose") or "").strip()
        try:
            check_text(purpose)
        except ValidationError as exc:
            return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain")
        if not purpose:
            return HttpResponseBadRequest(
                _("Say why you export these dossiers (purpose): it is kept in the access log."),
                content_type="text/plain",
            )
        if len(purpose) > 255:
            return HttpResponseBadRequest(
                _("The purpose is too long (255 characters at most)."), content_type="text/plain"
            )
        _shown, _current, filterset, qs = list_rows(request, now=timezone.now())
        if filterset.is_bound and not filterset.is_valid():
            return HttpResponseBadRequest(filterset.errors.as_text(), content_type="text/plain")
        rows = filterset.qs if filterset.is_bound else qs
        dossiers = list(rows.order_by("-received_at", "-id")[: MAX_ROWS + 1])
        if len(dossiers) > MAX_ROWS:
            return HttpResponseBadRequest(
                _("More than %(max)s dossiers: narrow the filters to export them.")
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")},
                content_type="text/plain",
            )
        viewer = Viewer(request.user)
        content = (_csv if fmt == "csv" else _xlsx)(export_rows(dossiers, viewer))
        log_access(
            actor=request.user,
            dossiers=dossiers,
            kind=PersonalDataAccess.Kind.EXPORT,
            purpose=purpose,
            viewer=viewer,
        )
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        name = f"ho-so-{timezone.localdate():%Y%m%d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
