"""One dossier: everything about it, its history, and the actions its state allows."""

from __future__ import annotations

import segno
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views import View

from motcua.dossiers.deadlines import deadline_status
from motcua.dossiers.forms import UploadForm
from motcua.dossiers.masking import Viewer
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_events
from motcua.dossiers.tables import deadline_badge, state_badge
from motcua.dossiers.views.actions import (
    action_forms,
    dossier_by_ref,
    dossier_ref,
    may_attach,
    may_checklist,
)
from motcua.dossiers.views.timeline import timeline
from motcua.ops.models import PersonalDataAccess
from motcua.ops.personal import log_access
from motcua.worktime.selectors import calendar_for_agency


def get_dossier_or_404(request: HttpRequest, code: str) -> Dossier:
    return dossier_by_ref(request, code)


def deadline_context(dossier: Dossier) -> dict:
    calendar = calendar_for_agency(agency_id=dossier.agency_id)
    status, remaining = deadline_status(dossier, calendar=calendar)
    hours = None
    if remaining is not None:
        hours = round(remaining.total_seconds() / 3600, 1)
    return {
        "deadline_status": status,
        "deadline_badge": deadline_badge(status),
        "remaining_hours": hours,
        "remaining_days": None if remaining is None else round(remaining / calendar.day_length, 1),
    }


class DossierView(LoginRequiredMixin, View):
    template_name = "dossiers/detail.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        dossier = get_dossier_or_404(request, code)
        viewer = Viewer(request.user)
        log_access(
            actor=request.user,
            dossiers=[dossier],
            kind=PersonalDataAccess.Kind.VIEW,
            purpose="dossier page",
            viewer=viewer,
        )
        apologies = list(dossier.apologies.all())
        context = {
            "dossier": dossier,
            "personal": viewer.personal(dossier),
            "ref": dossier_ref(dossier),
            "state_badge": state_badge(dossier),
            "timeline": timeline(dossier_events(dossier=dossier)),
            "waits": dossier.supplement_waits.all(),
            "apologies": apologies,
            # After an apology the applicant is given a new date; the legal one stays the
            # deadline that statistics and the deadline badge count against (statistics.md §1).
            "appointment": apologies[-1] if apologies else None,
            "handovers": dossier.handovers.select_related("from_agency", "to_agency"),
            "documents": dossier.documents.all(),
            "files": dossier.files.select_related("document"),
            "may_open_files": viewer.files(dossier),
            "ratings": dossier.ratings.all(),
            "actions": action_forms(dossier, request.user),
            "may_checklist": may_checklist(request.user, dossier),
            "may_attach": may_attach(request.user, dossier),
            "upload_form": UploadForm(),
            **deadline_context(dossier),
        }
        return render(request, self.template_name, context)


def qr_svg(text: str) -> str:
    """An inline SVG QR code (segno), safe to place in a template."""
    qr = segno.make(text, error="m")
    return mark_safe(qr.svg_inline(scale=3, border=2, dark="#000"))  # noqa: S308 - segno output


class DossierReceiptView(LoginRequiredMixin, View):
    """Form 01: receipt and appointment (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), printable."""

    template_name = "dossiers/receipt.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        dossier = get_dossier_or_404(request, code)
        lookup = request.build_absolute_uri(reverse("portal:lookup")) + f"?code={dossier.code}"
        viewer = Viewer(request.user)
        log_access(
            actor=request.user,
            dossiers=[dossier],
            kind=PersonalDataAccess.Kind.VIEW,
            purpose="receipt (form 01)",
            viewer=viewer,
        )
        context = {
            "dossier": dossier,
            "personal": viewer.personal(dossier),
            "documents": dossier.documents.all(),
            "qr": qr_svg(lookup),
            "lookup_url": lookup,
            "unit": dossier.receiving_unit or dossier.agency,
        }
        return render(request, self.template_name, context)
