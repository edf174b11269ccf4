"""The index pages: a unit's score with groups and criteria, the ranking of its child units,
the monthly trend (JSON for the chart), the drill-down of what lost points, the annex."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from motcua.catalog.models import Agency
from motcua.core.errors import MotcuaError, PermissionDenied
from motcua.core.localtime import LOCAL_TZ
from motcua.stats.periods import Period, resolve_period
from motcua.stats.rates import format_count, format_percent, format_points
from motcua.stats.service_index import documents
from motcua.stats.service_index.scoring import compute_index, criterion_losses, monthly_trend
from motcua.stats.views import visible_agencies


def last_month() -> str:
    today = timezone.localdate()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def selection(request: HttpRequest) -> tuple[list[Agency], Agency | None, Period | None, str]:
    """(the units the user may pick, the unit, the period, an error) from the query string.

    Periods are calendar months by default, as the national portal scores them."""
    agencies = visible_agencies(request.user)
    if not agencies:
        return (
            agencies,
            None,
            None,
            _("You do not work for any unit, so there is no report to show."),
        )
    code = request.GET.get("unit") or agencies[0].code
    unit = next((a for a in agencies if a.code == code), None)
    if unit is None:
        return agencies, None, None, _("You may not see reports of %(unit)s.") % {"unit": code}
    try:
        period = resolve_period(
            period=request.GET.get("period") or (None if request.GET.get("from") else last_month()),
            start=request.GET.get("from"),
            end=request.GET.get("to"),
            cutoff=0,
        )
    except MotcuaError as exc:
        return agencies, unit, None, str(exc)
    return agencies, unit, period, ""


def _query(unit: Agency, period: Period, **extra: str) -> str:
    params = {"unit": unit.code}
    if period.label:
        params["period"] = period.label
    else:
        params.update({"from": period.start.isoformat(), "to": period.end.isoformat()})
    params.update(extra)
    return urlencode(params)


def month_label(label: str) -> str:
    """``2025-03`` → ``03/2025``, as the dashboard writes months."""
    return f"{label[5:]}/{label[:4]}"


def _local_text(value: str | None) -> str:
    """An ISO instant of a drill-down row → ``dd/mm/yyyy HH:MM`` in local time."""
    if not value:
        return ""
    return dt.datetime.fromisoformat(value).astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


class IndexView(LoginRequiredMixin, View):
    template_name = "stats/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        agencies, unit, period, error = selection(request)
        context: dict[str, Any] = {"agencies": agencies, "unit": unit, "error": error}
        context["period_value"] = request.GET.get("period") or (period.label if period else "")
        if unit is not None and period is not None:
            try:
                index = compute_index(unit=unit, period=period, user=request.user, children=True)
            except PermissionDenied as exc:
                context["error"] = str(exc)
                return render(request, self.template_name, context, status=403)
            query = _query(unit, period)
            for c in index["criteria"]:
                c["points_text"] = format_points(c["points"])
                c["rate_text"] = format_percent(c["rate"], empty="")
                c["losses_url"] = (
                    reverse("stats:index_losses") + "?" + _query(unit, period, criterion=c["code"])
                )
            for row in index.get("children") or []:
                row["points_text"] = format_points(row["score"]["points"])
                row["max_text"] = format_count(int(row["score"]["max"]))
                row["scaled_text"] = format_points(row["score"]["scaled"])
                row["url"] = (
                    reverse("stats:index") + "?" + _query(Agency(code=row["unit"]["code"]), period)
                )
            for g in index["groups"]:
                g["points_text"] = format_points(g["points"])
                g["measured_max_text"] = format_count(int(g["measured_max"]))
                g["scaled_text"] = format_points(g["scaled"])
            context.update(
                index=index,
                period=period,
                score_text=format_points(index["score"]["scaled"]),
                points_text=format_points(index["score"]["points"]),
                max_text=format_count(int(index["score"]["max"])),
                trend_url=reverse("stats:index_trend") + "?" + query,
                documents=[
                    (label, reverse("stats:index_document", kwargs={"fmt": fmt}) + "?" + query)
                    for fmt, label in (("xlsx", "XLSX"), ("docx", "DOCX"))
                ],
            )
        return render(request, self.template_name, context, status=400 if error else 200)


class IndexTrendView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        _agencies, unit, period, error = selection(request)
        if error or unit is None or period is None:
            return JsonResponse({"detail": error}, status=400)
        months = monthly_trend(unit=unit, end=period.end, user=request.user)
        return JsonResponse(
            {
                "labels": [month_label(m["period"]) for m in months],
                "scaled": [m["scaled"] for m in months],
            }
        )


class IndexLossesView(LoginRequiredMixin, View):
    template_name = "stats/index_losses.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        _agencies, unit, period, error = selection(request)
        context: dict[str, Any] = {"error": error, "unit": unit, "period": period}
        status = 400 if error else 200
        if not error and unit is not None and period is not None:
            try:
                context["losses"] = criterion_losses(
                    unit=unit,
                    period=period,
                    code=request.GET.get("criterion", ""),
                    user=request.user,
                )
                context["back_url"] = reverse("stats:index") + "?" + _query(unit, period)
                for row in context["losses"]["rows"]:
                    row["received_text"] = _local_text(row.get("received_at"))
                    row["due_text"] = _local_text(row.get("due_at"))
            except MotcuaError as exc:
                context["error"], status = str(exc), 404
        return render(request, self.template_name, context, status=status)


class IndexDocumentView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        _agencies, unit, period, error = selection(request)
        if error or unit is None or period is None:
            return HttpResponse(error, status=400, content_type="text/plain")
        try:
            index = compute_index(unit=unit, period=period, user=request.user, children=True)
        except PermissionDenied as exc:
            return HttpResponse(str(exc), status=403, content_type="text/plain")
        response = HttpResponse(
            documents.render(index, fmt), content_type=documents.CONTENT_TYPES[fmt]
        )
        name = f"chi-so-766-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
