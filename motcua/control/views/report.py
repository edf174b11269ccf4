"""The control report page: figures on screen, JSON, DOCX and PDF downloads (printed with the
unit's remembered report settings, as the statistics documents)."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from motcua.catalog.selectors import agency_list
from motcua.control.documents import FORMATS, render_control_report
from motcua.control.forms import ControlReportForm
from motcua.control.narrative import control_period_text
from motcua.control.permissions import ControlReadMixin, readable_agency_ids
from motcua.control.report import build_control_report
from motcua.core.documents import CONTENT_TYPES
from motcua.core.errors import MotcuaError
from motcua.stats.reports.formatting import fmt_int
from motcua.stats.selectors import report_settings_options


def figure_rows(report: dict) -> list[tuple[str, str]]:
    """The report's figures with their labels in the interface language."""
    dossiers = report["dossiers"]
    published = report["procedures_published"]
    rows = [
        (_("Publication decisions issued"), report["decisions_issued"]),
        (_("Procedures published, amended or abolished"), published["total"]),
        (_("— newly published"), published["by_action"]["publish"]),
        (_("— amended or supplemented"), published["by_action"]["amend"]),
        (_("— replaced"), published["by_action"]["replace"]),
        (_("— abolished"), published["by_action"]["abolish"]),
        (_("Decisions approving internal processes"), report["internal_process_decisions"]),
        (_("Internal processes approved"), report["internal_processes_approved"]),
        (_("Procedures posted on the national TTHC database"), report["posted_national_db"]),
        (_("Procedures posted at the Center"), report["posted_center"]),
        (_("Procedures posted on the web portal"), report["posted_website"]),
        (_("Procedures reviewed or evaluated"), report["reviews_done"]),
        (_("Simplification plans proposed"), report["simplification_plans"]),
        (_("Draft legal texts commented on"), report["drafts_commented"]),
        (_("Procedures in force at the end of the period"), report["procedures_in_force"]["total"]),
        (_("Dossiers received (carried over and new)"), dossiers["received"]),
        (_("Dossiers resolved"), dossiers["resolved"]),
        (_("Dossiers refused"), dossiers["refused"]),
        (_("Dossiers withdrawn"), dossiers["withdrawn"]),
        (_("Dossiers stopped"), dossiers["stopped"]),
        (_("Dossiers pending"), dossiers["pending"]),
        (_("Dossiers received online"), dossiers["online"]),
    ]
    return [(label, fmt_int(value)) for label, value in rows]


class ControlReportView(ControlReadMixin, View):
    template_name = "control/report.html"

    def get(self, request):
        ids = readable_agency_ids(request.user)
        agencies = list(agency_list(ids=ids).order_by("level__rank", "code"))
        form = ControlReportForm(request.GET, agencies=agencies)
        context = {"form": form, "title": _("TTHC control report")}
        if not agencies:
            form.errors.clear()
            return render(request, self.template_name, context)
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        unit, period = form.cleaned_data["unit_obj"], form.cleaned_data["period_obj"]
        try:
            report = build_control_report(unit=unit, period=period)
        except MotcuaError as exc:
            form.add_error(None, str(exc))
            return render(request, self.template_name, context, status=400)
        name = f"kiem-soat-tthc-{unit.code}-{period.label or period.start.isoformat()}"
        fmt = request.GET.get("format")
        if fmt == "json":
            response = JsonResponse(report, json_dumps_params={"ensure_ascii": False})
            response["Content-Disposition"] = f'attachment; filename="{name}.json"'
            return response
        if fmt in FORMATS:
            options = report_settings_options(agency_ids=[unit.pk]).get(unit.pk, {})
            content = render_control_report(report, fmt=fmt, **options)
            response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
            response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
            return response
        query = request.GET.copy()
        query.pop("format", None)
        context.update(
            report=report,
            rows=figure_rows(report),
            period_text=control_period_text(report),
            period_start=period.start,
            period_end=period.end,
            query=query.urlencode(),
        )
        return render(request, self.template_name, context)
