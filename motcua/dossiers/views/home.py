"""The officials' home page: their open dossiers at a glance (the site's root, ``home``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.dossiers.choices import OPEN_STATES
from motcua.dossiers.selectors import dossier_late_without_apology
from motcua.dossiers.worklists import worklist_counts, worklists_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    shown = worklists_for(request.user)
    counts = worklist_counts(user=request.user, now=now, names=[w.name for w in shown])
    late = dossier_late_without_apology(user=request.user, now=now)
    context = {
        "counts": counts,
        "cards": [(w, counts[w.name]) for w in shown],
        "late_open_without_apology": late.filter(state__in=OPEN_STATES)[:10],
        "memberships": request.user.memberships.select_related("agency"),
    }
    return render(request, "dossiers/home.html", context)
