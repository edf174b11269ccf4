"""The dossier list (filters, table, htmx fragment) and the counter-closure list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from motcua.accounts.selectors import officials_of_user_agencies, user_agency_ids
from motcua.catalog.selectors import agency_list
from motcua.core.errors import MotcuaError, PermissionDenied
from motcua.core.htmx import render_htmx
from motcua.dossiers import services
from motcua.dossiers.filtersets import DossierFilterSet
from motcua.dossiers.forms import CounterClosureForm
from motcua.dossiers.selectors import counter_closure_list, dossier_list
from motcua.dossiers.tables import DossierTable
from motcua.dossiers.worklists import worklist_counts, worklist_rows, worklists_for
from motcua.worktime.selectors import calendar_for_agency

PER_PAGE = 25


def user_agencies(user):
    """The agencies a user may pick in filters and forms (scoped)."""
    return agency_list(ids=user_agency_ids(user=user)).order_by("code")


def list_rows(request: HttpRequest, *, now) -> tuple[list, str, DossierFilterSet, Any]:
    """The list's worklists, the worklist asked (``list``), its filter set and unfiltered rows
    (the page and its exports read the same)."""
    shown = worklists_for(request.user)
    current = request.GET.get("list") or ""
    if current not in {w.name for w in shown}:
        current = ""
    qs = (
        worklist_rows(user=request.user, name=current, now=now)
        if current
        else dossier_list(user=request.user)
    )
    filterset = DossierFilterSet(
        request.GET or None,
        queryset=qs,
        agencies=user_agencies(request.user),
        assignees=officials_of_user_agencies(user=request.user),
    )
    return shown, current, filterset, qs


class DossierListView(LoginRequiredMixin, View):
    """GET /dossiers/ — the full page; to htmx, the table fragment only."""

    def get(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        shown, current, filterset, qs = list_rows(request, now=now)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
        table = DossierTable(
            rows, calendar_for=lambda agency_id: calendar_for_agency(agency_id=agency_id), now=now
        )
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        counts = worklist_counts(user=request.user, now=now, names=[w.name for w in shown])
        tabs = [(w, counts[w.name]) for w in shown]
        context = {"filter": filterset, "table": table, "tabs": tabs, "worklist": current}
        return render_htmx(request, "dossiers/list.html", "dossiers/_table.html", context)


class CounterClosureListView(LoginRequiredMixin, View):
    """Counter closures (reception suspended at a unit), and a form to record one."""

    template_name = "dossiers/counter_closures.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CounterClosureForm(agencies=user_agencies(request.user))
        return self.render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CounterClosureForm(request.POST, agencies=user_agencies(request.user))
        if form.is_valid():
            try:
                services.counter_closure_create(actor=request.user, **form.cleaned_data)
            except PermissionDenied as exc:
                raise PageForbidden(str(exc)) from exc
            except MotcuaError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The counter closure was recorded."))
                return redirect("dossiers:counter_closures")
        return self.render(request, form, status=400)

    def render(self, request: HttpRequest, form, status: int = 200) -> HttpResponse:
        ids = user_agency_ids(user=request.user)
        closures = counter_closure_list()
        if ids is not None:
            closures = closures.filter(agency_id__in=ids)
        context = {"form": form, "closures": closures}
        return render_htmx(request, self.template_name, self.template_name, context, status=status)
