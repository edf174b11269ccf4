"""Entry forms of the control pages. They only parse input: the services write."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import OnlineClass, ProcedureLevel, TimeUnit
from motcua.catalog.models import Agency, Field, Procedure
from motcua.control.choices import DecisionKind, ItemAction, PostingChannel, ReviewKind
from motcua.control.services.oversight import StepSpec
from motcua.core.forms import CleanForm
from motcua.stats.forms import DashboardForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


class AgencyScopedForm(CleanForm):
    """A form whose agency choices are the agencies the user may write for."""

    def __init__(self, *args: Any, agency_ids: set[int] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.order_by("level__rank", "code")
        if agency_ids is not None:
            agencies = agencies.filter(pk__in=agency_ids)
        for name in ("agency",):
            if name in self.fields:
                self.fields[name].queryset = agencies
        style(self)


class ProcedureCodeField(forms.CharField):
    """A procedure named by its national code."""

    def clean(self, value: Any) -> Procedure | None:
        code = super().clean(value)
        if not code:
            return None
        procedure = Procedure.objects.filter(code=code.strip()).first()
        if procedure is None:
            raise forms.ValidationError(
                _("No procedure with the national code %(code)s."), params={"code": code}
            )
        return procedure


class PublicationDecisionForm(AgencyScopedForm):
    number = forms.CharField(label=_("Number"), max_length=64, help_text=_("e.g. 1016/QĐ-UBND"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionKind.choices)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    signer = forms.CharField(label=_("Signer"), max_length=255, required=False)
    agency = forms.ModelChoiceField(label=_("Issuing agency"), queryset=Agency.objects.none())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))


class DecisionItemForm(CleanForm):
    action = forms.ChoiceField(label=_("Action"), choices=ItemAction.choices)
    level = forms.ChoiceField(label=_("Level"), choices=ProcedureLevel.choices)
    code = forms.CharField(label=_("National code"), max_length=40)
    name = forms.CharField(label=_("Name"), required=False, widget=forms.Textarea({"rows": 2}))
    field = forms.ModelChoiceField(
        label=_("Field (for a new procedure)"), queryset=Field.objects.all(), required=False
    )
    replaces = ProcedureCodeField(
        label=_("Code of the procedure it replaces"), required=False, max_length=40
    )
    processing_time = forms.DecimalField(
        label=_("Processing time"), required=False, min_value=Decimal(0), decimal_places=2
    )
    time_unit = forms.ChoiceField(
        label=_("Time unit"), choices=[("", "—"), *TimeUnit.choices], required=False
    )
    online_class = forms.ChoiceField(
        label=_("Online service class"), choices=[("", "—"), *OnlineClass.choices], required=False
    )
    fee = forms.CharField(label=_("Fee"), max_length=255, required=False)
    one_way = forms.NullBooleanField(label=_("One-way"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def attributes(self) -> dict[str, Any]:
        data = self.cleaned_data
        attrs: dict[str, Any] = {}
        if data.get("processing_time") is not None:
            attrs["processing_time"] = str(data["processing_time"])
        for key in ("time_unit", "online_class", "fee"):
            if data.get(key):
                attrs[key] = data[key]
        if data.get("one_way") is not None:
            attrs["one_way"] = data["one_way"]
        return attrs


class ProcessApprovalForm(AgencyScopedForm):
    """Steps as lines "name | role | share %"; roles by code (specialist, leader, ...)."""

    procedure = ProcedureCodeField(label=_("Procedure national code"), max_length=40)
    agency = forms.ModelChoiceField(
        label=_("Agency (empty: the whole procedure)"),
        queryset=Agency.objects.none(),
        required=False,
    )
    steps = forms.CharField(
        label=_("Steps"),
        widget=forms.Textarea({"rows": 5}),
        help_text=_(
            "One step a line: name | role code | share of the time in percent, e.g. "
            '"Thẩm định | specialist | 70".'
        ),
    )

    def clean_steps(self) -> list[StepSpec]:
        steps = []
        for number, line in enumerate(self.cleaned_data["steps"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("Line %(line)s: expected name | role | share."), params={"line": number}
                )
            try:
                share = Decimal(parts[2].rstrip("%").replace(",", "."))
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Line %(line)s: '%(value)s' is not a number."),
                    params={"line": number, "value": parts[2]},
                ) from None
            steps.append(StepSpec(parts[0], parts[1], share))
        return steps


class ProcedureReviewForm(AgencyScopedForm):
    procedure = ProcedureCodeField(label=_("Procedure national code"), max_length=40)
    agency = forms.ModelChoiceField(label=_("Reviewing agency"), queryset=Agency.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ReviewKind.choices)
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE)
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea({"rows": 2})
    )
    simplification_proposed = forms.BooleanField(label=_("Simplification proposed"), required=False)
    plan = forms.CharField(
        label=_("Simplification plan"), required=False, widget=forms.Textarea({"rows": 2})
    )
    cost_saving = forms.DecimalField(
        label=_("Yearly cost saving (VND)"), required=False, min_value=0, decimal_places=0
    )


class DraftLegalTextForm(AgencyScopedForm):
    title = forms.CharField(label=_("Title"), widget=forms.Textarea({"rows": 2}))
    drafting_agency = forms.ModelChoiceField(
        label=_("Drafting agency"), queryset=Agency.objects.order_by("code")
    )
    agency = forms.ModelChoiceField(label=_("Commenting agency"), queryset=Agency.objects.none())
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    commented_on = forms.DateField(label=_("Commented on"), widget=DATE, required=False)
    procedures_count = forms.IntegerField(label=_("Procedures it contains"), min_value=0, initial=0)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea({"rows": 2})
    )


class PostingForm(AgencyScopedForm):
    procedure = ProcedureCodeField(label=_("Procedure national code"), max_length=40)
    agency = forms.ModelChoiceField(label=_("Posting agency"), queryset=Agency.objects.none())
    channel = forms.ChoiceField(label=_("Channel"), choices=PostingChannel.choices)
    posted_on = forms.DateField(label=_("Posted on"), widget=DATE)
    removed_on = forms.DateField(label=_("Removed on"), widget=DATE, required=False)


class ControlReportForm(DashboardForm):
    """The unit and period pickers of the statistics dashboard; a quarter by default."""

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            if not data.get("kind") and not data.get("period"):
                data["kind"] = "quarter"
        super().__init__(data, **kwargs)
        self.fields["kind"].initial = "quarter"
