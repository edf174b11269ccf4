"""The citizen portal: look a dossier up by code and ID number, rate it, search procedures."""

from __future__ import annotations

import math

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from motcua.core.errors import MotcuaError
from motcua.core.forms import CleanForm
from motcua.core.ids import parse_id
from motcua.core.validators import normalize_id_number
from motcua.dossiers import services
from motcua.dossiers.choices import DossierState, EventType, RatingValue
from motcua.dossiers.deadlines import deadline_status
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import PORTAL
from motcua.dossiers.selectors import dossier_events, dossier_lookup_public
from motcua.portal import throttle
from motcua.portal.selectors import field_list, procedure_search

# What each state means, said to the applicant.
PLAIN_STATES = {
    DossierState.SUBMITTED: gettext_lazy(
        "Your online dossier has arrived and is waiting to be checked by an officer."
    ),
    DossierState.NOT_RECEIVED: gettext_lazy(
        "Your online dossier was not accepted; see the reason below."
    ),
    DossierState.RECEIVED: gettext_lazy("Your dossier has been received."),
    DossierState.IN_PROCESS: gettext_lazy("Your dossier is being examined."),
    DossierState.AWAITING_SUPPLEMENT: gettext_lazy(
        "Your dossier needs more documents: please complete it. The time limit is paused."
    ),
    DossierState.TRANSFERRING: gettext_lazy("Your dossier is being passed to another agency."),
    DossierState.RESOLVED: gettext_lazy("The result is ready."),
    DossierState.DELIVERED: gettext_lazy("The result has been handed to you."),
    DossierState.REFUSED: gettext_lazy("Your dossier was refused; see the reason below."),
    DossierState.WITHDRAWN: gettext_lazy("Your dossier was withdrawn at your request."),
    DossierState.STOPPED: gettext_lazy("Processing of your dossier was stopped."),
    DossierState.FILED: gettext_lazy("Your notification has been received and filed."),
}
# Events worth showing to the applicant (internal moves stay internal).
PUBLIC_EVENTS = {
    EventType.SUBMIT,
    EventType.PRECHECK_ACCEPT,
    EventType.PRECHECK_REFUSE,
    EventType.RECEIVE,
    EventType.SUPPLEMENT_REQUEST,
    EventType.SUPPLEMENT_RECEIVE,
    EventType.TRANSFER,
    EventType.REFUSE,
    EventType.WITHDRAW,
    EventType.STOP,
    EventType.RESOLVE,
    EventType.DELIVER,
    EventType.APOLOGIZE,
    EventType.FILE,
    EventType.IMPORT,
    EventType.RATE,
}
RATEABLE = {
    DossierState.RESOLVED,
    DossierState.DELIVERED,
    DossierState.REFUSED,
    DossierState.FILED,
    DossierState.WITHDRAWN,
    DossierState.STOPPED,
}


class LookupForm(CleanForm):
    code = forms.CharField(label=gettext_lazy("Dossier code"), max_length=64)
    id_number = forms.CharField(label=gettext_lazy("ID number / tax number"), max_length=40)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-lg"

    def clean_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data.get("id_number", ""))


class RatingForm(LookupForm):
    value = forms.ChoiceField(
        label=gettext_lazy("How satisfied are you?"),
        choices=RatingValue.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, max_length=1000)


def _result_context(dossier: Dossier) -> dict:
    status, _remaining = deadline_status(dossier)
    events = [e for e in dossier_events(dossier=dossier) if e.type in PUBLIC_EVENTS]
    return {
        "dossier": dossier,
        "plain_state": PLAIN_STATES.get(dossier.state, dossier.get_state_display()),
        "deadline_status": status,
        "events": events,
        "waits": dossier.supplement_waits.all(),
        "apologies": dossier.apologies.all(),
        "can_rate": dossier.state in RATEABLE and not dossier.ratings.exists(),
        "rating_choices": RatingValue.choices,
    }


def _refusal(request: HttpRequest) -> HttpResponse | None:
    """HTTP 429 on the look-up page when the client's address has failed too often (throttle)."""
    wait = throttle.lookup_blocked_for(address=throttle.client_address(request))
    if not wait:
        return None
    minutes = math.ceil(wait / 60)
    message = ngettext(
        "Too many look-ups from your connection did not match any dossier. To protect applicants' "
        "personal data, look-ups are paused: please try again in %(minutes)s minute.",
        "Too many look-ups from your connection did not match any dossier. To protect applicants' "
        "personal data, look-ups are paused: please try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    context = {
        "form": LookupForm(initial={"code": request.POST.get("code", "")}),
        "throttled": message,
    }
    response = render(request, "portal/lookup.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _find(request: HttpRequest, form: LookupForm) -> Dossier | None:
    """The dossier of a valid form's code and ID number; a miss counts against the client."""
    dossier = dossier_lookup_public(
        code=form.cleaned_data["code"], id_number=form.cleaned_data["id_number"]
    )
    if dossier is None:
        throttle.lookup_failure_record(address=throttle.client_address(request))
    return dossier


def lookup(request: HttpRequest) -> HttpResponse:
    """GET: the form (a code may be given, e.g. from the receipt's QR). POST: the result."""
    context: dict = {}
    if request.method == "POST":
        if (refused := _refusal(request)) is not None:
            return refused
        form = LookupForm(request.POST)
        if form.is_valid():
            dossier = _find(request, form)
            if dossier is None:
                context["not_found"] = True
            else:
                context.update(_result_context(dossier))
    else:
        form = LookupForm(initial={"code": request.GET.get("code", "")})
    context["form"] = form
    return render(request, "portal/lookup.html", context, status=200)


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    if (refused := _refusal(request)) is not None:
        return refused
    form = RatingForm(request.POST)
    dossier = _find(request, form) if form.is_valid() else None
    if dossier is None:
        messages.error(request, _("The dossier was not found, or the rating was not understood."))
        return render(request, "portal/lookup.html", {"form": LookupForm(request.POST)}, status=400)
    try:
        services.dossier_rate(
            actor=PORTAL,
            dossier=dossier,
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
        )
    except MotcuaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you for your rating."))
    dossier.refresh_from_db()
    context = {"form": LookupForm(initial=form.cleaned_data), **_result_context(dossier)}
    return render(request, "portal/lookup.html", context)


def procedures(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    field_id = parse_id(request.GET.get("field") or "")
    page = Paginator(procedure_search(q=q, field_id=field_id), 20).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "field_id": field_id, "fields": field_list()}
    return render(request, "portal/procedures.html", context)
