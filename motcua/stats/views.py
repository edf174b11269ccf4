"""The monitors' dashboard, the document downloads and the entry of external figures."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from motcua.accounts.selectors import user_agency_ids
from motcua.catalog.models import Agency
from motcua.catalog.selectors import agency_list, agency_subtree_ids
from motcua.core.errors import ImportFailed, MotcuaError, PermissionDenied
from motcua.stats import reports
from motcua.stats.annexes import document_annexes
from motcua.stats.assembly import consolidated_report, report_json
from motcua.stats.counters import counts_by_agency
from motcua.stats.forms import (
    DashboardForm,
    ExternalFiguresForm,
    ExternalFiguresImportForm,
    ReportSettingsForm,
)
from motcua.stats.models import ReportSettings
from motcua.stats.periods import Period, default_cutoff, month_period
from motcua.stats.petitions import petition_rows
from motcua.stats.reports import narrative
from motcua.stats.reports.formatting import fmt_int, fmt_rate
from motcua.stats.reports.letterhead import EDITABLE, letterhead, symbol
from motcua.stats.rounds.selectors import report_round_latest
from motcua.stats.selectors import (
    external_figures_list,
    may_change_report_settings,
    report_settings_for,
)
from motcua.stats.services import (
    FiguresInvalid,
    SettingsInvalid,
    external_figures_import,
    external_figures_record,
    save_report_settings,
)
from motcua.stats.work import work_rows

TREND_MONTHS = 12
LATE_SHOWN = 50
# The report as JSON (what `motcua report` and the API give) and as documents.
DOWNLOADS = ("json", *reports.FORMATS)
DOCUMENT_OPTIONS = (*EDITABLE, "issued_on")


def visible_agencies(user: Any) -> list[Agency]:
    """The agencies the user may pick, top levels first."""
    ids = user_agency_ids(user=user)
    return list(agency_list(ids=ids).order_by("level__rank", "code"))


def period_params(unit: Agency, period: Period) -> dict[str, str]:
    """The parameters that name the unit and period in the dashboard's links."""
    params = {"unit": unit.code}
    if period.label:
        params["period"] = period.label
    else:
        params.update(kind="range", start=period.start.isoformat(), end=period.end.isoformat())
    return params


def period_query(unit: Agency, period: Period) -> str:
    return urlencode(period_params(unit, period))


def index_url(unit: Agency, period: Period) -> str:
    """The Decision 766 index of the unit for the calendar month holding the period's end
    (the national portal scores calendar months)."""
    month = f"{period.end.year:04d}-{period.end.month:02d}"
    return reverse("stats:index") + "?" + urlencode({"unit": unit.code, "period": month})


def _rate(value: Any) -> float | None:
    return None if value is None else float(value)


def ranking_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Child units ordered by on-time rate of due (none last), with their key figures."""
    rows = [
        {
            "name": child["unit"]["name"],
            "code": child["unit"]["code"],
            "external": bool(child.get("external")),
            "received_new": child["received"]["new"],
            "resolved": child["resolved"]["total"],
            "overdue": child["pending"]["overdue"],
            "rate": _rate((child.get("rates") or {}).get("on_time_of_due")),
        }
        for child in report.get("children") or []
    ]
    rows.sort(key=lambda r: (r["rate"] is None, -(r["rate"] or 0), r["code"]))
    for row in rows:
        row["rate_text"] = fmt_rate(row["rate"])
    return rows


def headline(report: dict[str, Any]) -> list[dict[str, Any]]:
    rates = report.get("rates") or {}
    return [
        {
            "label": _("Received"),
            "value": fmt_int(report["received"]["total"]),
            "note": _("%(new)s new") % {"new": fmt_int(report["received"]["new"])},
        },
        {
            "label": _("Resolved"),
            "value": fmt_int(report["resolved"]["total"]),
            "note": "",
        },
        {
            "label": _("On time (of due)"),
            "value": fmt_rate(rates.get("on_time_of_due")),
            "note": "",
        },
        {
            "label": _("Pending"),
            "value": fmt_int(report["pending"]["total"]),
            "note": "",
        },
        {
            "label": _("Overdue"),
            "value": fmt_int(report["pending"]["overdue"]),
            "note": "",
            "danger": report["pending"]["overdue"] > 0,
        },
    ]


class StatsDashboardView(LoginRequiredMixin, View):
    template_name = "stats/dashboard.html"
    partial_name = "stats/_dashboard_body.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        agencies = visible_agencies(request.user)
        form = DashboardForm(request.GET, agencies=agencies)
        context: dict[str, Any] = {"form": form, "has_units": bool(agencies)}
        if agencies and form.is_valid():
            unit, period = form.cleaned_data["unit_obj"], form.cleaned_data["period_obj"]
            try:
                report = consolidated_report(
                    unit=unit, period=period, children=True, user=request.user
                )
            except MotcuaError as exc:
                form.add_error(None, str(exc))
            else:
                query = period_query(unit, period)
                late = report.get("late_list") or []
                remembered = report_settings_for(user=request.user, agency=unit)
                context.update(
                    unit=unit,
                    period=period,
                    period_text=narrative.period_text(report),
                    headline=headline(report),
                    ranking=ranking_rows(report),
                    late=narrative.late_rows({"late_list": late[:LATE_SHOWN]}),
                    late_count=max(len(late), report.get("late_list_total") or 0),
                    work=work_rows(report),
                    petitions=petition_rows(report),
                    trend_url=reverse("stats:trend") + "?" + query,
                    documents=[
                        (label, reverse("stats:document", kwargs={"fmt": fmt}) + "?" + query)
                        for fmt, label in (
                            ("docx", "DOCX"),
                            ("xlsx", "XLSX"),
                            ("pdf", "PDF"),
                            ("json", "JSON"),
                        )
                    ],
                    document_params=sorted(period_params(unit, period).items()),
                    index_url=index_url(unit, period),
                    round=report_round_latest(user=request.user, unit=unit, period=period),
                    settings_form=ReportSettingsForm(
                        initial=settings_initial(report["unit"], remembered)
                    ),
                    settings_row=remembered,
                    may_change_settings=may_change_report_settings(user=request.user, agency=unit),
                )
                context["round_params"] = context["document_params"]
        template = self.partial_name if getattr(request, "htmx", False) else self.template_name
        return render(request, template, context)


def _month_of(day: Any, cutoff: int) -> tuple[int, int]:
    """The (year, month) whose period contains `day` by the cut-off rule."""
    year, month = day.year, day.month
    if cutoff and day.day > cutoff:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return year, month


def monthly_trend(*, unit: Agency, period: Period, months: int = TREND_MONTHS) -> dict[str, Any]:
    """New and resolved dossiers of the unit's subtree for the `months` months up to the one
    holding the period's end (the deployment's cut-off rule)."""
    cutoff = default_cutoff()
    year, month = _month_of(period.end, cutoff)
    spans = []
    for _index in range(months):
        spans.append(month_period(year, month, cutoff=cutoff))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    spans.reverse()
    subtree = agency_subtree_ids(roots=[unit.pk])
    series: dict[str, list[Any]] = {"labels": [], "received": [], "resolved": [], "late": []}
    for span in spans:
        counts = counts_by_agency(agency_ids=subtree, period=span).values()
        series["labels"].append(f"{span.label[5:]}/{span.label[:4]}")
        series["received"].append(sum(c["received.new"] for c in counts))
        series["resolved"].append(sum(c["resolved.total"] for c in counts))
        series["late"].append(sum(c["resolved.late"] for c in counts))
    return series


class StatsTrendView(LoginRequiredMixin, View):
    """JSON for the dashboard's monthly chart."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = DashboardForm(request.GET, agencies=visible_agencies(request.user))
        if not form.is_valid():
            return JsonResponse({"detail": form.errors.as_text()}, status=400)
        unit, period = form.cleaned_data["unit_obj"], form.cleaned_data["period_obj"]
        return JsonResponse(monthly_trend(unit=unit, period=period))


def settings_initial(unit: dict[str, Any], remembered: ReportSettings | None) -> dict[str, str]:
    """What the settings form shows: the unit's remembered settings over the defaults of its
    level, each as it will print."""
    options = remembered.options() if remembered else {}
    frame = letterhead(unit, options)
    return {
        "parent_name": frame.issuer_lines[0][0],
        "unit_name": frame.issuer_lines[1][0],
        "number": options.get("number", ""),
        "symbol": options.get("symbol") or symbol(unit),
        "place": frame.place,
        "recipients": "\n".join(frame.recipients),
        "signer_title": "\n".join(frame.signer_lines),
        "signer_name": frame.signer_name,
    }


def document_response(
    request: HttpRequest, *, unit: Agency, period: Period, fmt: str, options: dict[str, Any]
) -> HttpResponse:
    """The report of ``unit`` for ``period`` as ``fmt`` (json or a document), with ``options``."""
    try:
        report = consolidated_report(unit=unit, period=period, children=True, user=request.user)
        if fmt == "json":
            content = report_json(report)
        else:
            options = options | document_annexes(
                report=report, unit=unit, period=period, fmt=fmt, user=request.user
            )
            content = reports.render(report, fmt=fmt, **options)
    except PermissionDenied as exc:
        return HttpResponse(str(exc), status=403, content_type="text/plain")
    except (MotcuaError, ValueError) as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    content_type = "application/json" if fmt == "json" else reports.CONTENT_TYPES[fmt]
    response = HttpResponse(content, content_type=content_type)
    name = f"bao-cao-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ReportDocumentView(LoginRequiredMixin, View):
    """/stats/report.json|docx|xlsx|pdf?unit=<code>&period=<2020-04>: a report with its children,
    as JSON or as documents (the same ``consolidated_report`` as the command and the API),
    printed with the unit's remembered settings; options in the query change one download."""

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt not in DOWNLOADS:
            raise Http404(fmt)
        form = DashboardForm(request.GET, agencies=visible_agencies(request.user))
        if not form.is_valid():
            return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain")
        unit, period = form.cleaned_data["unit_obj"], form.cleaned_data["period_obj"]
        remembered = report_settings_for(user=request.user, agency=unit)
        options = remembered.options() if remembered else {}
        options.update({k: request.GET[k] for k in DOCUMENT_OPTIONS if request.GET.get(k)})
        return document_response(request, unit=unit, period=period, fmt=fmt, options=options)


class ReportSettingsView(LoginRequiredMixin, View):
    """POST /stats/report-settings/: the dashboard's "details printed in the documents". The
    typed settings are remembered for the unit when the user may change them (its officials,
    those above it, administrators), then the DOCX or PDF asked for (``download``) is made with
    them; without ``download`` they are only saved. Bad input is sent back to the dashboard
    with the errors, nothing saved."""

    def post(self, request: HttpRequest) -> HttpResponse:
        picker = DashboardForm(request.POST, agencies=visible_agencies(request.user))
        if not picker.is_valid():
            return HttpResponseBadRequest(picker.errors.as_text(), content_type="text/plain")
        unit, period = picker.cleaned_data["unit_obj"], picker.cleaned_data["period_obj"]
        back = reverse("stats:dashboard") + "?" + period_query(unit, period)
        download = request.POST.get("download", "")
        if download and download not in reports.FORMATS:
            raise Http404(download)
        form = ReportSettingsForm(request.POST)
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return redirect(back)
        if may_change_report_settings(user=request.user, agency=unit):
            try:
                save_report_settings(actor=request.user, agency=unit, data=form.cleaned_data)
            except (PermissionDenied, SettingsInvalid) as exc:
                messages.error(request, str(exc))
                return redirect(back)
            if not download:
                messages.success(
                    request, _("Report settings of %(unit)s saved.") % {"unit": unit.name}
                )
        elif not download:
            messages.error(
                request,
                _("Only officials of %(unit)s may change its report settings.")
                % {"unit": unit.name},
            )
        if not download:
            return redirect(back)
        data = form.cleaned_data
        options: dict[str, Any] = {name: data[name] for name in EDITABLE if data.get(name)}
        if data.get("issued_on"):
            options["issued_on"] = data["issued_on"]
        return document_response(request, unit=unit, period=period, fmt=download, options=options)


class ExternalFiguresView(LoginRequiredMixin, View):
    """The figures of agencies outside the system: list, entry form and CSV import."""

    template_name = "stats/external_figures.html"

    def _context(self, request: HttpRequest, agencies: list[Agency], **forms: Any) -> dict:
        ids = user_agency_ids(user=request.user)
        return {
            "form": forms.get("form") or ExternalFiguresForm(agencies=agencies),
            "import_form": forms.get("import_form") or ExternalFiguresImportForm(agencies=agencies),
            "rows": external_figures_list(agency_ids=ids),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        agencies = visible_agencies(request.user)
        return render(request, self.template_name, self._context(request, agencies))

    def post(self, request: HttpRequest) -> HttpResponse:
        agencies = visible_agencies(request.user)
        if "file" in request.FILES:
            return self._import(request, agencies)
        form = ExternalFiguresForm(request.POST, agencies=agencies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = external_figures_record(
                    actor=request.user,
                    agency=data["agency_obj"],
                    period=data["period_obj"],
                    figures=form.figures(),
                    source=data.get("source") or "",
                    reporting_unit=data["reporting_unit_obj"],
                )
            except FiguresInvalid as exc:
                for problem in exc.problems:
                    form.add_error(None, problem)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Figures of %(agency)s recorded.") % {"agency": row})
                return redirect("stats:external")
        context = self._context(request, agencies, form=form)
        return render(request, self.template_name, context, status=400)

    def _import(self, request: HttpRequest, agencies: list[Agency]) -> HttpResponse:
        form = ExternalFiguresImportForm(request.POST, request.FILES, agencies=agencies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = external_figures_import(
                    actor=request.user,
                    path=data["file"].read(),
                    period=data["period_obj"],
                    reporting_unit=form.agencies[data["reporting_unit"]],
                )
            except ImportFailed as exc:
                for error in exc.errors:
                    form.add_error(None, str(error))
            else:
                messages.success(request, _("Import done: %(result)s.") % {"result": result})
                return redirect("stats:external")
        context = self._context(request, agencies, import_form=form)
        return render(request, self.template_name, context, status=400)
