"""The officials' side of petitions: the agency's list, one petition with what the user may do."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from motcua.core.errors import MotcuaError, PermissionDenied
from motcua.core.uploads import attachment_response
from motcua.petitions import permissions as perms
from motcua.petitions import services
from motcua.petitions.choices import PetitionState
from motcua.petitions.forms import AnswerForm, AssignForm
from motcua.petitions.models import Petition
from motcua.petitions.selectors import petition_assignees, petition_get, petition_list

PER_PAGE = 25


class PetitionListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state") or ""
        if state not in PetitionState.values:
            state = ""
        qs = petition_list(user=request.user, state=state or None)
        page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "state": state,
            "states": PetitionState.choices,
            "now": timezone.now(),
        }
        return render(request, "petitions/list.html", context)


def _petition(request: HttpRequest, code: str) -> Petition:
    petition = petition_get(user=request.user, code=code)
    if petition is None:
        raise Http404(_("No such petition."))
    return petition


class PetitionDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        return self.render(request, _petition(request, code))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        petition = _petition(request, code)
        action = request.POST.get("action")
        try:
            if action == perms.ASSIGN:
                form = AssignForm(request.POST, users=petition_assignees(petition=petition))
                if not form.is_valid():
                    return self.render(request, petition, assign_form=form, status=400)
                services.petition_assign(
                    petition=petition, actor=request.user, assignee=form.cleaned_data["assignee"]
                )
                messages.success(request, _("The petition was assigned."))
            elif action == perms.ANSWER:
                form = AnswerForm(request.POST)
                if not form.is_valid():
                    return self.render(request, petition, answer_form=form, status=400)
                services.petition_answer(
                    petition=petition, actor=request.user, answer=form.cleaned_data["answer"]
                )
                messages.success(request, _("The answer was recorded."))
            elif action == perms.PUBLISH:
                services.petition_publish(petition=petition, actor=request.user)
                messages.success(request, _("The answer was published."))
            else:
                return self.render(request, petition, status=400)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return self.render(request, petition, status=403)
        except MotcuaError as exc:
            messages.error(request, str(exc))
            return self.render(request, petition, status=400)
        return redirect("petitions:detail", code=petition.code)

    def render(
        self, request, petition, *, assign_form=None, answer_form=None, status: int = 200
    ) -> HttpResponse:
        user = request.user
        may = {action: perms.may(user, action, petition) for action in perms.ROLES}
        open_ = petition.state != PetitionState.ANSWERED
        context = {
            "petition": petition,
            "events": petition.events.select_related("actor"),
            "files": petition.files.all(),
            "may_assign": may[perms.ASSIGN] and open_,
            "may_answer": may[perms.ANSWER] and open_,
            "may_publish": may[perms.PUBLISH]
            and not open_
            and petition.consent_publish
            and petition.published_at is None,
            "assign_form": assign_form or AssignForm(users=petition_assignees(petition=petition)),
            "answer_form": answer_form or AnswerForm(),
            "now": timezone.now(),
        }
        return render(request, "petitions/detail.html", context, status=status)


class PetitionFileView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, code: str, file_id: int) -> HttpResponse:
        stored = _petition(request, code).files.filter(pk=file_id).first()
        if stored is None:
            raise Http404(_("No such file."))
        return attachment_response(
            stored.file.open("rb"), filename=stored.original_name, content_type=stored.content_type
        )
