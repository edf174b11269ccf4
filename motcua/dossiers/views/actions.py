"""Dossier actions through POST: one small form each, one service call each.

Errors raised by services (an illegal move, a missing right, bad input) become messages on the
dossier page, never a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from motcua.core.errors import MotcuaError, NotFound
from motcua.core.ids import parse_id
from motcua.dossiers import services, workflow
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.forms import (
    ActionForm,
    ApologizeForm,
    AssignForm,
    DeliverForm,
    NoteForm,
    OptionalReasonForm,
    ReasonForm,
    ResolveForm,
    StepForm,
    StopForm,
    TransferForm,
    UploadForm,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_get


@dataclass(frozen=True)
class Action:
    form: type[ActionForm]
    service: Callable
    label: str
    colour: str


ACTIONS: dict[str, Action] = {
    E.PRECHECK_ACCEPT: Action(
        NoteForm, services.dossier_precheck_accept, gettext_lazy("Accept (pre-check)"), "success"
    ),
    E.PRECHECK_REFUSE: Action(
        ReasonForm, services.dossier_precheck_refuse, gettext_lazy("Refuse (pre-check)"), "danger"
    ),
    E.ASSIGN: Action(AssignForm, services.dossier_assign, gettext_lazy("Assign"), "primary"),
    E.STEP: Action(
        StepForm, services.dossier_step_advance, gettext_lazy("Move to the next step"), "primary"
    ),
    E.SUPPLEMENT_REQUEST: Action(
        ReasonForm,
        services.dossier_supplement_request,
        gettext_lazy("Request a supplement"),
        "warning",
    ),
    E.SUPPLEMENT_RECEIVE: Action(
        NoteForm,
        services.dossier_supplement_receive,
        gettext_lazy("Supplement received"),
        "success",
    ),
    E.TRANSFER: Action(
        TransferForm, services.dossier_transfer, gettext_lazy("Hand over"), "secondary"
    ),
    E.TRANSFER_ACCEPT: Action(
        NoteForm, services.dossier_transfer_accept, gettext_lazy("Accept the hand-over"), "success"
    ),
    E.RESOLVE: Action(ResolveForm, services.dossier_resolve, gettext_lazy("Resolve"), "success"),
    E.DELIVER: Action(
        DeliverForm, services.dossier_deliver, gettext_lazy("Deliver the result"), "success"
    ),
    E.APOLOGIZE: Action(
        ApologizeForm,
        services.dossier_apologize,
        gettext_lazy("Apology and new appointment"),
        "warning",
    ),
    E.REFUSE: Action(ReasonForm, services.dossier_refuse, gettext_lazy("Refuse"), "danger"),
    E.WITHDRAW: Action(
        OptionalReasonForm, services.dossier_withdraw, gettext_lazy("Withdraw"), "secondary"
    ),
    E.STOP: Action(StopForm, services.dossier_stop, gettext_lazy("Stop processing"), "dark"),
}


def action_forms(dossier: Dossier) -> list[dict]:
    """The actions the dossier's state allows, each with its empty form."""
    allowed = set(workflow.allowed_actions(dossier.state))
    return [
        {"name": name, "action": action, "form": action.form(dossier=dossier, prefix=name)}
        for name, action in ACTIONS.items()
        if name in allowed
    ]


ID_PREFIX = "id-"


def dossier_ref(dossier: Dossier) -> str:
    """How pages name a dossier in URLs: its code, or "id-<pk>" before it has one."""
    return dossier.code or f"{ID_PREFIX}{dossier.pk}"


def dossier_by_ref(request: HttpRequest, ref: str) -> Dossier:
    """The dossier named by `ref`, among those the user may see; 404 otherwise."""
    try:
        if ref.startswith(ID_PREFIX) and (pk := parse_id(ref[len(ID_PREFIX) :])) is not None:
            return dossier_get(user=request.user, pk=pk)
        return dossier_get(user=request.user, code=ref)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _dossier(request: HttpRequest, code: str) -> Dossier:
    return dossier_by_ref(request, code)


class DossierActionView(LoginRequiredMixin, View):
    """POST /dossiers/<code>/actions/<action>/ — validate the small form, call the service."""

    def post(self, request: HttpRequest, code: str, action: str) -> HttpResponse:
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404(_("Unknown action."))
        dossier = _dossier(request, code)
        code = dossier_ref(dossier)
        form = spec.form(request.POST, dossier=dossier, prefix=action)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return redirect("dossiers:detail", code=code)
        try:
            spec.service(dossier=dossier, actor=request.user, **form.service_kwargs())
        except MotcuaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
            dossier.refresh_from_db(fields=["code"])
            code = dossier_ref(dossier)  # a pre-check acceptance gives the dossier its code
        return redirect("dossiers:detail", code=code)


class DossierChecklistView(LoginRequiredMixin, View):
    """POST: which required documents were submitted."""

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        dossier = _dossier(request, code)
        try:
            submitted = [int(pk) for pk in request.POST.getlist("submitted")]
            services.dossier_checklist_update(
                dossier=dossier, actor=request.user, submitted=submitted
            )
        except ValueError:
            messages.error(request, _("The checklist was not understood."))
        except MotcuaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The checklist was saved."))
        return redirect("dossiers:detail", code=code)


class DossierFileUploadView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        dossier = _dossier(request, code)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a file to upload."))
            return redirect("dossiers:detail", code=code)
        try:
            services.dossier_attach_file(
                dossier=dossier,
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                document=form.cleaned_data.get("document") or None,
            )
        except MotcuaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The file was attached."))
        return redirect("dossiers:detail", code=code)


class DossierFileDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, code: str, file_id: int) -> HttpResponse:
        dossier = _dossier(request, code)
        stored = dossier.files.filter(pk=file_id).first()
        if stored is None:
            raise Http404(_("No such file."))
        return FileResponse(
            stored.file.open("rb"),
            as_attachment=True,
            filename=stored.original_name,
            content_type=stored.content_type,
        )
