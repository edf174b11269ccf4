"""The officials' home page: their open dossiers at a glance."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.dossiers.choices import OPEN_STATES, DossierState
from motcua.dossiers.selectors import dossier_late_without_apology, dossier_list
from motcua.worktime.selectors import calendar_for_agency


def dossier_counts(*, user, now=None) -> dict[str, int]:
    """Counts of the user's dossiers needing attention, in one query."""
    now = now or timezone.now()
    calendar = calendar_for_agency(agency_id=None)
    soon = calendar.add_working_time(
        now, calendar.day_length * settings.MOTCUA_DUE_SOON_WORKING_DAYS
    )
    running = Q(state__in=OPEN_STATES, paused_at__isnull=True, one_way=False, due_at__isnull=False)
    watched = {*OPEN_STATES, DossierState.SUBMITTED, DossierState.RESOLVED}
    return dossier_list(user=user, state=list(watched)).aggregate(
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("id", filter=running & Q(due_at__lt=now)),
        due_soon=Count("id", filter=running & Q(due_at__gte=now, due_at__lte=soon)),
        awaiting_supplement=Count("id", filter=Q(state=DossierState.AWAITING_SUPPLEMENT)),
        awaiting_precheck=Count("id", filter=Q(state=DossierState.SUBMITTED)),
        to_deliver=Count("id", filter=Q(state=DossierState.RESOLVED)),
        transferring=Count("id", filter=Q(state=DossierState.TRANSFERRING)),
        mine=Count("id", filter=Q(state__in=OPEN_STATES, assignee_id=user.pk)),
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    counts = dossier_counts(user=request.user, now=now)
    late = dossier_late_without_apology(user=request.user, now=now)
    context = {
        "counts": counts,
        "late_open_without_apology": late.filter(state__in=OPEN_STATES)[:10],
        "memberships": request.user.memberships.select_related("agency"),
    }
    return render(request, "core/home.html", context)
