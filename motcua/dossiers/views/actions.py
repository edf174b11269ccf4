"""Dossier actions through POST: one small form each, one service call each.

Errors raised by services (an illegal move, a missing right, bad input) become messages on the
dossier page, never a server error.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from motcua.core.errors import MotcuaError, NotFound, PermissionDenied
from motcua.core.ids import parse_id
from motcua.core.uploads import attachment_response
from motcua.dossiers import services
from motcua.dossiers.action_registry import ACTIONS, actions_for
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.forms import UploadForm
from motcua.dossiers.masking import Viewer
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import may
from motcua.dossiers.selectors import dossier_get
from motcua.dossiers.workflow import CHECKLIST, allowed
from motcua.ops.models import PersonalDataAccess
from motcua.ops.personal import log_access


def action_forms(dossier: Dossier, user) -> list[dict]:
    """The actions the dossier's state allows and the user may do, each with its empty form."""
    return [
        {"name": a.name, "action": a, "form": a.form(dossier=dossier, prefix=a.name)}
        for a in actions_for(user, dossier, web=True)
    ]


def may_checklist(user, dossier: Dossier) -> bool:
    return allowed(dossier.state, CHECKLIST) and may(user, CHECKLIST, dossier)


def may_attach(user, dossier: Dossier) -> bool:
    return allowed(dossier.state, E.ATTACH) and may(user, E.ATTACH, dossier)


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
        if spec is None or spec.form is None:
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
            spec.call(actor=request.user, dossier=dossier, **form.service_kwargs())
        except PermissionDenied as exc:
            raise PageForbidden(str(exc)) from exc
        except MotcuaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
            try:  # a pre-check acceptance gives the dossier its code
                code = dossier_ref(dossier_get(user=request.user, pk=dossier.pk))
            except NotFound:  # no longer in the user's scope: back to the list
                return redirect("dossiers:list")
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
        except PermissionDenied as exc:
            raise PageForbidden(str(exc)) from exc
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
        except PermissionDenied as exc:
            raise PageForbidden(str(exc)) from exc
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
        viewer = Viewer(request.user)
        if not viewer.files(dossier):
            raise PageForbidden(
                _(
                    "Uploaded files hold the applicant's papers in full: only those who handle "
                    "the dossier may open them."
                )
            )
        log_access(
            actor=request.user,
            dossiers=[dossier],
            kind=PersonalDataAccess.Kind.VIEW,
            purpose=f"uploaded file #{stored.pk}",
            viewer=viewer,
        )
        return attachment_response(
            stored.file.open("rb"), filename=stored.original_name, content_type=stored.content_type
        )
