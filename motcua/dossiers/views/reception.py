"""Reception at the counter: the form, the procedure's checklist via htmx, then the receipt."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from motcua.accounts.selectors import user_agency_ids
from motcua.core.errors import MotcuaError, PermissionDenied
from motcua.dossiers import services
from motcua.dossiers.choices import Channel
from motcua.dossiers.forms import ReceptionForm
from motcua.dossiers.permissions import receiving_unit_for


class DossierReceptionView(LoginRequiredMixin, View):
    template_name = "dossiers/reception.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {}
        if request.GET.get("procedure"):
            initial["procedure"] = request.GET["procedure"]
        form = ReceptionForm(initial=initial)
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ReceptionForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        agency = data["agency"]
        unit = receiving_unit_for(request.user, agency)
        try:
            dossier = services.dossier_receive(
                actor=request.user,
                agency=agency,
                procedure=data["procedure"],
                channel=data["channel"] or Channel.DIRECT,
                applicant_kind=data["applicant_kind"],
                applicant_name=data["applicant_name"],
                applicant_id_number=data["applicant_id_number"],
                applicant_phone=data["applicant_phone"],
                applicant_email=data["applicant_email"],
                applicant_address=data["applicant_address"],
                receiving_unit=unit,
                delivery_channel=data["delivery_channel"],
                delivery_address=data["delivery_address"],
                documents_submitted=[int(pk) for pk in data["documents"]],
                note=data["note"],
            )
        except PermissionDenied as exc:
            raise PageForbidden(str(exc)) from exc
        except MotcuaError as exc:
            messages.error(request, str(exc))
            return render(request, self.template_name, {"form": form}, status=400)
        messages.success(
            request, _("Dossier %(code)s received.") % {"code": dossier.code or dossier.pk}
        )
        return redirect("dossiers:receipt", code=dossier.code)


class ReceptionProcedureInfoView(LoginRequiredMixin, View):
    """htmx: the handling agencies and the required-documents checklist of a procedure."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ReceptionForm(initial={"procedure": request.GET.get("procedure") or None})
        procedure = form.selected_procedure()
        ids = user_agency_ids(user=request.user)
        agencies = list(form.fields["agency"].queryset)
        preferred = next((a.pk for a in agencies if ids is None or a.pk in ids), None)
        if preferred is None and len(agencies) == 1:
            preferred = agencies[0].pk
        if preferred is not None:
            form.fields["agency"].initial = preferred
        # Nothing is ticked in advance: the officer ticks what the applicant actually brought.
        context = {"form": form, "procedure": procedure}
        return render(request, "dossiers/_procedure_info.html", context)
