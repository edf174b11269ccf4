"""Publication decisions: list, detail, entry, items, application, internal processes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from motcua.control.attributes import attribute_rows
from motcua.control.choices import DecisionKind
from motcua.control.forms import DecisionItemForm, ProcessApprovalForm, PublicationDecisionForm
from motcua.control.models import PublicationDecision
from motcua.control.permissions import (
    ControlReadMixin,
    ControlWriteMixin,
    can_write,
    readable_agency_ids,
    writable_agency_ids,
)
from motcua.control.selectors import decision_list
from motcua.control.services import (
    decision_apply,
    decision_create,
    decision_item_add,
    process_approve,
)
from motcua.control.views.base import ScopedListView, ServiceFormView
from motcua.core.errors import MotcuaError


def decision_for(user: Any, pk: int, *, write: bool = False) -> PublicationDecision:
    """The decision if the user may see it (404 otherwise) and, for writes, act on it (403)."""
    decision = get_object_or_404(decision_list(agency_ids=readable_agency_ids(user)), pk=pk)
    if write and not can_write(user, decision.agency_id):
        raise PermissionDenied
    return decision


class PublicationDecisionListView(ScopedListView):
    template_name = "control/decision_list.html"
    title = gettext_lazy("Publication decisions")

    def rows(self, agency_ids):
        qs = (
            decision_list(agency_ids=agency_ids)
            .annotate(
                item_count=Count("items", distinct=True),
                process_count=Count("process_approvals", distinct=True),
            )
            .order_by("-issued_on", "-id")
        )
        kind = self.request.GET.get("kind")
        if kind in DecisionKind.values:
            qs = qs.filter(kind=kind)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = DecisionKind.choices
        context["create_url"] = reverse("control:decision_add")
        return context


class PublicationDecisionView(ControlReadMixin, TemplateView):
    template_name = "control/decision_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = decision_for(self.request.user, kwargs["pk"])
        items = list(decision.items.select_related("procedure", "replaces", "field"))
        for item in items:
            item.attribute_rows = attribute_rows(item.attributes)
        context.update(
            decision=decision,
            items=items,
            approvals=decision.process_approvals.select_related(
                "process__procedure", "process__agency"
            ).prefetch_related("process__steps"),
            can_write=can_write(self.request.user, decision.agency_id),
            item_form=DecisionItemForm(),
            process_form=ProcessApprovalForm(agency_ids=writable_agency_ids(self.request.user)),
        )
        return context


class PublicationDecisionEditView(ServiceFormView):
    form_class = PublicationDecisionForm
    title = gettext_lazy("New publication decision")

    def perform(self, form):
        data = form.cleaned_data
        decision = decision_create(
            actor=self.request.user,
            number=data["number"],
            issued_on=data["issued_on"],
            effective_from=data["effective_from"],
            agency=data["agency"],
            kind=data["kind"],
            signer=data["signer"],
            note=data["note"],
        )
        return (
            _("Decision %(number)s recorded.") % {"number": decision.number},
            reverse("control:decision", args=[decision.pk]),
        )


class DecisionItemAddView(ServiceFormView):
    form_class = DecisionItemForm
    title = gettext_lazy("Add a procedure to the decision")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.decision = decision_for(request.user, kwargs["pk"], write=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("agency_ids")
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        item = decision_item_add(
            actor=self.request.user,
            decision=self.decision,
            action=data["action"],
            level=data["level"],
            code=data["code"],
            name=data["name"],
            field=data["field"],
            replaces=data["replaces"],
            attributes=form.attributes(),
        )
        return (
            _("Procedure %(code)s added.") % {"code": item.code},
            reverse("control:decision", args=[self.decision.pk]),
        )


class ProcessApproveView(ServiceFormView):
    form_class = ProcessApprovalForm
    title = gettext_lazy("Approve an internal process")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.decision = decision_for(request.user, kwargs["pk"], write=True)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        process = process_approve(
            actor=self.request.user,
            decision=self.decision,
            procedure=data["procedure"],
            agency=data["agency"],
            steps=data["steps"],
        )
        return (
            _("Internal process version %(version)s of %(code)s approved.")
            % {"version": process.version, "code": process.procedure.code},
            reverse("control:decision", args=[self.decision.pk]),
        )


class DecisionApplyView(ControlWriteMixin, View):
    """POST only: apply the decision to the catalogue through the service."""

    def post(self, request, pk: int):
        decision = decision_for(request.user, pk, write=True)
        try:
            written = decision_apply(decision=decision, actor=request.user)
        except MotcuaError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Decision %(number)s applied: %(count)s revisions written.")
                % {"number": decision.number, "count": written},
            )
        return HttpResponseRedirect(reverse("control:decision", args=[decision.pk]))

    def get(self, request, pk: int):
        raise Http404
