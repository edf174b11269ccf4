"""The printed forms (Circular 03/2025 forms 01–07) as PDF, DOCX and, for the register, XLSX.

The dossier is looked up among those the user may see (404 otherwise); the form must apply to
it (``dossiers.printing.offered``). Downloads are attachments."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from motcua.core.documents import CONTENT_TYPES, Document
from motcua.core.documents import render as render_document
from motcua.core.errors import MotcuaError, NotFound
from motcua.core.ids import parse_id
from motcua.dossiers import printing
from motcua.dossiers.masking import Viewer
from motcua.dossiers.printing.register import (
    register,
    register_dossiers,
    register_unit,
    register_units,
)
from motcua.dossiers.printing.sets import KINDS, REGISTER
from motcua.dossiers.views.actions import dossier_by_ref
from motcua.ops.personal import log_access
from motcua.stats.periods import PeriodError, resolve_period

DOSSIER_FORMATS = ("pdf", "docx")
REGISTER_FORMATS = ("pdf", "docx", "xlsx")


def document_response(document: Document, fmt: str) -> HttpResponse:
    response = HttpResponse(render_document(document, fmt=fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{document.filename}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class DossierFormView(LoginRequiredMixin, View):
    """GET /dossiers/<code>/forms/<kind>.<fmt>[?n=2] — one form of one dossier."""

    def get(self, request: HttpRequest, code: str, kind: str, fmt: str) -> HttpResponse:
        if kind not in KINDS or kind == REGISTER or fmt not in DOSSIER_FORMATS:
            raise Http404(_("No such form."))
        dossier = dossier_by_ref(request, code)
        n = None
        if "n" in request.GET:
            n = parse_id(request.GET["n"])
            if n is None:
                raise Http404(_("No such form."))
        try:
            document = printing.build(dossier, kind, n, viewer=Viewer(request.user))
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        log_access(
            actor=request.user,
            dossiers=[dossier],
            kind="export",
            purpose=f"printed form {document.meta.get('number', '')} ({kind}, {fmt})",
        )
        return document_response(document, fmt)


class RegisterForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int)
    period = forms.CharField(
        label=gettext_lazy("Period"),
        required=False,
        help_text=gettext_lazy("e.g. 2026-11, 2026-Q4, 2026-H2, 2026; or the dates below"),
    )
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    fmt = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("pdf", "PDF"), ("docx", "DOCX"), ("xlsx", "XLSX")],
        initial="pdf",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [
            (u.pk, f"{u.name} ({u.code})") for u in register_units(user=user)
        ]
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def clean(self):
        data = super().clean()
        try:
            data["period_obj"] = resolve_period(
                period=(data.get("period") or "").strip() or None,
                start=data["start"].isoformat() if data.get("start") else None,
                end=data["end"].isoformat() if data.get("end") else None,
            )
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


class DossierRegisterView(LoginRequiredMixin, View):
    """GET /dossiers/register/ — form 07 for a unit and a period: the page, or the file when
    the form is filled in."""

    template_name = "dossiers/register.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if "unit" not in request.GET:
            form = RegisterForm(user=request.user, initial={"fmt": "pdf"})
            return render(request, self.template_name, {"form": form})
        form = RegisterForm(request.GET, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        fmt = data["fmt"]
        try:
            unit = register_unit(user=request.user, unit_id=data["unit"])
            document = register(user=request.user, unit=unit, period=data["period_obj"], fmt=fmt)
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        except MotcuaError as exc:
            form.add_error(None, str(exc))
            return render(request, self.template_name, {"form": form}, status=400)
        ids = register_dossiers(user=request.user, unit=unit, period=data["period_obj"])
        log_access(
            actor=request.user,
            dossiers=list(ids.values_list("pk", flat=True)),
            kind="export",
            purpose=f"dossier register {unit.code} {data['period_obj'].start}–{data['period_obj'].end}",
        )
        return document_response(document, fmt)
