"""The citizen portal: look a dossier up by code and ID number, rate it, search procedures."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from motcua.catalog.choices import OnlineClass, ProcedureLevel
from motcua.control.selectors import publishing_decision
from motcua.core.errors import MotcuaError
from motcua.core.forms import CleanForm
from motcua.core.ids import parse_id
from motcua.core.replica import on_replica, replica_configured
from motcua.core.validators import normalize_id_number
from motcua.dossiers import services
from motcua.dossiers.choices import DossierState, EventType, RatingValue
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import PORTAL
from motcua.portal import services as portal_services
from motcua.portal import throttle
from motcua.portal.forms import OnlineFilingForm
from motcua.portal.lookup import result_page, result_parts
from motcua.portal.selectors import (
    FoundDossier,
    agencies_with_procedures,
    dossier_for_applicant,
    field_list,
    procedure_public_get,
    procedure_search,
    submission_for_secret,
)


class LookupForm(CleanForm):
    code = forms.CharField(label=gettext_lazy("Dossier code"), max_length=64)
    id_number = forms.CharField(
        label=gettext_lazy("ID number / tax number, or the secret"), max_length=40
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-lg"

    def clean_id_number(self) -> str:
        """An ID number as core.validators writes it (spaces, case); anything else as typed,
        since an online submission's secret is looked up in this field too."""
        value = self.cleaned_data.get("id_number", "")
        try:
            return normalize_id_number(value)
        except ValidationError:
            return value


class RatingForm(LookupForm):
    value = forms.ChoiceField(
        label=gettext_lazy("How satisfied are you?"),
        choices=RatingValue.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, max_length=1000)


def _result_context(dossier: FoundDossier) -> dict:
    """The result (rendered once per dossier version: portal/lookup.py) and the rating offer."""
    result, can_rate = result_parts(dossier)
    return {"result": result, "can_rate": can_rate, "rating_choices": RatingValue.choices}


def throttled_response(
    request: HttpRequest, *, template: str = "portal/lookup.html", context: dict | None = None
) -> HttpResponse | None:
    """HTTP 429 on a look-up page when the client's address has failed too often (throttle);
    None when look-ups are allowed. Dossier and petition look-ups share the counter."""
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
    response = render(request, template, {**(context or {}), "throttled": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _refusal(request: HttpRequest) -> HttpResponse | None:
    return throttled_response(
        request, context={"form": LookupForm(initial={"code": request.POST.get("code", "")})}
    )


def _find(request: HttpRequest, form: LookupForm) -> FoundDossier | HttpResponse | None:
    """The dossier of a valid form's code and ID number (or secret); a miss counts against the
    client; a 429 answer when the client is blocked (portal/throttle.py).

    Without a replica: one statement reads the dossier unless the client is blocked
    (``dossier_for_applicant(throttle_address=...)``); a miss (or a blocked client) reads the
    count before counting it. With a replica, the count is read on the primary first (the throttle's table
    is never read on a replica), the dossier on the replica, and a miss is confirmed on the
    primary (a dossier received a moment ago may not have reached the replica yet)."""
    code, proof = form.cleaned_data["code"], form.cleaned_data["id_number"]
    address = throttle.client_address(request)
    dossier = find_quietly(code=code, proof=proof, address=address)
    if dossier is None:  # a miss, or a blocked client: 429, or the miss counted
        if (refused := _refusal(request)) is not None:
            return refused
        throttle.lookup_failure_record(address=address)
    return dossier


def find_quietly(*, code: str, proof: str, address: str) -> FoundDossier | None:
    """The dossier of ``code`` and ``proof`` unless ``address`` is blocked by the throttle; None
    for a miss and for a blocked client alike. Counts nothing and answers nothing: ``_find``
    (and portal/fastpath.py, which hands every None back to this view) does."""
    if replica_configured():
        if throttle.lookup_blocked_for(address=address):  # the count is read on the primary
            return None
        dossier = on_replica(dossier_for_applicant, code=code, proof=proof)
        if dossier is None:  # received a moment ago, not on the replica yet?
            dossier = dossier_for_applicant(code=code, proof=proof)
        return dossier
    # The throttle is read in the look-up's own statement: no row for a blocked client.
    return dossier_for_applicant(code=code, proof=proof, throttle_address=address)


def lookup(request: HttpRequest) -> HttpResponse:
    """GET: the form (a code may be given, e.g. from the receipt's QR). POST: the result."""
    context: dict = {}
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            found = _find(request, form)
            if isinstance(found, HttpResponse):
                return found
            if found is None:
                context["not_found"] = True
            else:
                page = result_page(
                    request, found, code=request.POST["code"], proof=request.POST["id_number"]
                )
                if page is not None:
                    return page
                context.update(_result_context(found))
        elif (refused := _refusal(request)) is not None:
            return refused
    else:
        form = LookupForm(initial={"code": request.GET.get("code", "")})
    context["form"] = form
    return render(request, "portal/lookup.html", context, status=200)


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    form = RatingForm(request.POST)
    dossier = _find(request, form) if form.is_valid() else _refusal(request)
    if isinstance(dossier, HttpResponse):
        return dossier
    if dossier is None:
        messages.error(request, _("The dossier was not found, or the rating was not understood."))
        return render(request, "portal/lookup.html", {"form": LookupForm(request.POST)}, status=400)
    try:
        services.dossier_rate(
            actor=PORTAL,
            dossier=dossier.pk,
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
        )
    except MotcuaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you for your rating."))
    dossier = dossier_for_applicant(
        code=form.cleaned_data["code"], proof=form.cleaned_data["id_number"]
    )
    context = {"form": LookupForm(initial=form.cleaned_data), **_result_context(dossier)}
    return render(request, "portal/lookup.html", context)


def procedures(request: HttpRequest) -> HttpResponse:
    """The public catalogue: procedures in force, searched without diacritics and filtered."""
    q = request.GET.get("q", "").strip()[:200]
    field_id, agency_id = parse_id(request.GET.get("field")), parse_id(request.GET.get("agency"))
    level = request.GET.get("level", "")
    level = level if level in ProcedureLevel.values else ""
    online = request.GET.get("online", "")
    online = online if online in OnlineClass.values else ""
    rows = procedure_search(
        q=q, field_id=field_id, agency_id=agency_id, level=level, online_class=online
    )
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    query = {"q": q, "field": field_id or "", "agency": agency_id or "", "level": level}
    query["online"] = online
    context = {
        "page": page,
        "q": q,
        "field_id": field_id,
        "agency_id": agency_id,
        "level": level,
        "online": online,
        "fields": field_list(),
        "agencies": agencies_with_procedures(),
        "levels": ProcedureLevel.choices,
        "online_classes": OnlineClass.choices,
        "query": urlencode(query),
        "filing_classes": ONLINE_FILING_CLASSES,
    }
    return render(request, "portal/procedures.html", context)


# Procedures offered for filing on the portal: partly or fully online (and the older levels 3-4).
ONLINE_FILING_CLASSES = frozenset(
    {OnlineClass.FULL, OnlineClass.PARTIAL, OnlineClass.LEVEL3, OnlineClass.LEVEL4}
)


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = procedure_public_get(code=code)
    if procedure is None:
        raise Http404(_("No procedure in force has this code."))
    context = {
        "procedure": procedure,
        "documents": procedure.documents.all(),
        "agencies": procedure.agencies.all(),
        "decision": publishing_decision(procedure_id=procedure.pk, on=timezone.localdate()),
        "online_filing": procedure.online_class in ONLINE_FILING_CLASSES,
    }
    return render(request, "portal/procedure_detail.html", context)


def file_online(request: HttpRequest, code: str) -> HttpResponse:
    """Online filing of a procedure offered online: the form, then the tracking reference and
    the secret (shown once)."""
    procedure = procedure_public_get(code=code)
    if procedure is None or procedure.online_class not in ONLINE_FILING_CLASSES:
        raise Http404(_("This procedure cannot be filed online."))
    if request.method != "POST":
        form = OnlineFilingForm(procedure=procedure)
        return render(request, "portal/file_online.html", {"form": form, "procedure": procedure})
    form = OnlineFilingForm(request.POST, request.FILES, procedure=procedure)
    if form.is_valid():
        try:
            dossier, submission, secret = portal_services.online_filing_submit(
                procedure=procedure,
                agency=form.cleaned_data["agency"],
                applicant=form.applicant(),
                delivery_channel=form.cleaned_data["delivery_channel"],
                delivery_address=form.cleaned_data["delivery_address"],
                files=form.files_by_document(),
                note=form.cleaned_data["note"],
            )
        except MotcuaError as exc:
            form.add_error(None, str(exc))
        else:
            context = {"dossier": dossier, "submission": submission, "secret": secret}
            return render(request, "portal/filed.html", context, status=201)
    context = {"form": form, "procedure": procedure}
    return render(request, "portal/file_online.html", context, status=400)


def _correction_files(request: HttpRequest, dossier: Dossier) -> dict[int, object]:
    return {
        doc.pk: request.FILES[f"doc_{doc.pk}"]
        for doc in dossier.documents.all()
        if f"doc_{doc.pk}" in request.FILES
    }


def correct(request: HttpRequest) -> HttpResponse:
    """The applicant corrects a submission returned at pre-check, with its code and secret."""
    context: dict = {"code": request.GET.get("code", "")}
    if request.method != "POST":
        return render(request, "portal/correct.html", context)
    context["code"] = code = request.POST.get("code", "")[:64]
    if refused := throttled_response(request, template="portal/correct.html", context=context):
        return refused
    secret = request.POST.get("secret", "")[:40]
    submission = submission_for_secret(code=code, secret=secret)
    if submission is None:
        throttle.lookup_failure_record(address=throttle.client_address(request))
        context["not_found"] = True
        return render(request, "portal/correct.html", context)
    dossier = submission.dossier
    context.update({"dossier": dossier, "secret": secret, "documents": dossier.documents.all()})
    if dossier.state != DossierState.RETURNED:
        context["not_returned"] = True
        return render(request, "portal/correct.html", context)
    context["reason"] = (
        dossier.events.filter(type=EventType.PRECHECK_RETURN).order_by("-seq").first()
    )
    if request.POST.get("send"):
        try:
            portal_services.online_filing_correct(
                dossier=dossier,
                files=_correction_files(request, dossier),
                note=request.POST.get("note", "")[:1000],
            )
        except MotcuaError as exc:
            context["error"] = str(exc)
            return render(request, "portal/correct.html", context, status=400)
        context["sent"] = True
    return render(request, "portal/correct.html", context)
