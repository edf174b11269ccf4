"""Reception at the counter: the form, the procedure's checklist via htmx, then the receipt."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied as PageForbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from motcua.core.errors import MotcuaError, PermissionDenied
from motcua.dossiers import services
from motcua.dossiers.choices import Channel
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.forms import ReceptionForm
from motcua.dossiers.permissions import may_receive, receiving_unit_for
from motcua.dossiers.selectors import receivable_procedures, reception_agency, reception_choices

PICKER_LIMIT = 30


def reception_form(request: HttpRequest, *args, **kwargs) -> ReceptionForm:
    """The counter form; its list of procedures (the picker without JavaScript) holds only what
    this officer may receive. Validation still takes any procedure: the service decides (403)."""
    form = ReceptionForm(*args, **kwargs)
    form.procedure_choices = (
        receivable_procedures(user=request.user)
        .select_related("field")
        .order_by("field__name", "code")
    )
    return form


class DossierReceptionView(LoginRequiredMixin, View):
    template_name = "dossiers/reception.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {}
        if request.GET.get("procedure"):
            initial["procedure"] = request.GET["procedure"]
        form = reception_form(request, initial=initial)
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = reception_form(request, request.POST)
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
    """htmx: the handling agencies and the required-documents checklist of a procedure.

    ``agency`` (optional) is the agency chosen in the picker; else the officer's own."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ReceptionForm(initial={"procedure": request.GET.get("procedure") or None})
        procedure = form.selected_procedure()
        agencies = list(form.fields["agency"].queryset)
        wanted = request.GET.get("agency", "")
        chosen = next((a for a in agencies if str(a.pk) == wanted), None)
        preferred = chosen or reception_agency(user=request.user, agencies=agencies)
        if preferred is not None:
            form.fields["agency"].initial = preferred.pk
        # Nothing is ticked in advance: the officer ticks what the applicant actually brought.
        context = {"form": form, "procedure": procedure}
        return render(request, "dossiers/_procedure_info.html", context)


class ReceptionProcedureSearchView(LoginRequiredMixin, View):
    """htmx: the reception picker's options for ``q`` (code or name, with or without
    diacritics), grouped by field and agency, limited to what this officer may receive."""

    def get(self, request: HttpRequest) -> HttpResponse:
        q = request.GET.get("q", "")[:200]
        groups, total = reception_choices(user=request.user, q=q, limit=PICKER_LIMIT)
        shown = sum(len(g.choices) for g in groups)
        receives = may_receive(request.user, E.RECEIVE) or may_receive(request.user, E.FILE)
        context = {"groups": groups, "total": total, "shown": shown, "q": q, "receives": receives}
        return render(request, "dossiers/_procedure_options.html", context)
