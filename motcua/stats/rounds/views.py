"""The round on the dashboard: ask for it, follow its progress, download its ZIP."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from motcua.core.errors import PermissionDenied
from motcua.core.ids import parse_id
from motcua.core.uploads import attachment_response
from motcua.stats.forms import DashboardForm
from motcua.stats.models import ReportRound
from motcua.stats.rounds.selectors import report_round_get
from motcua.stats.rounds.services import report_round_request, round_period, round_zip_path
from motcua.stats.views import period_params, period_query, visible_agencies

PARTIAL = "stats/_round.html"


class ReportRoundCreateView(LoginRequiredMixin, View):
    """POST /stats/rounds/ with the dashboard's unit and period: the round is queued."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DashboardForm(request.POST, agencies=visible_agencies(request.user))
        if not form.is_valid():
            return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain")
        unit, period = form.cleaned_data["unit_obj"], form.cleaned_data["period_obj"]
        try:
            row = report_round_request(user=request.user, unit=unit, period=period)
        except PermissionDenied as exc:
            return HttpResponse(str(exc), status=403, content_type="text/plain")
        if getattr(request, "htmx", False):
            return render(request, PARTIAL, partial_context(row))
        messages.info(request, _("The documents of every unit are being made."))
        return redirect(reverse("stats:dashboard") + "?" + period_query(unit, period))


class ReportRoundView(LoginRequiredMixin, View):
    """GET /stats/rounds/<id>/: the round's progress (the dashboard polls it while it runs)."""

    def get(self, request: HttpRequest, pk: str) -> HttpResponse:
        row = _round_or_404(request, pk)
        return render(request, PARTIAL, partial_context(row))


class ReportRoundDownloadView(LoginRequiredMixin, View):
    """GET /stats/rounds/<id>/zip: the finished round's ZIP, as an attachment."""

    def get(self, request: HttpRequest, pk: str) -> HttpResponse:
        row = _round_or_404(request, pk)
        path = round_zip_path(row)
        if path is None:
            raise Http404(_("This round has no ZIP yet."))
        name = f"bao-cao-{row.unit.code}-{path.name}"
        return attachment_response(path.open("rb"), filename=name, content_type="application/zip")


def partial_context(row: ReportRound) -> dict:
    params = period_params(row.unit, round_period(row))
    return {"round": row, "round_params": sorted(params.items())}


def _round_or_404(request: HttpRequest, pk: str):
    row_id = parse_id(pk)
    row = report_round_get(user=request.user, pk=row_id) if row_id is not None else None
    if row is None:
        raise Http404(_("No such report round."))
    return row
