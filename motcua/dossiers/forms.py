"""Forms of the officials' pages: reception, and one small form per dossier action."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure, ProcessStep
from motcua.catalog.selectors import agency_subtree_ids
from motcua.core.forms import CleanForm, label_blank_choices
from motcua.core.validators import normalize_id_number, normalize_phone
from motcua.dossiers.choices import ApplicantKind, Channel, DeliveryChannel
from motcua.dossiers.models import Dossier
from motcua.dossiers.reception_rules import reception_problems


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class ReceptionForm(CleanForm):
    """Reception at the counter (or of a postal dossier): what `dossier_receive` needs."""

    procedure = forms.ModelChoiceField(
        label=_("Procedure"),
        queryset=Procedure.objects.filter(is_active=True)
        .select_related("field")
        .order_by("field__name", "code"),
    )
    agency = forms.ModelChoiceField(label=_("Handling agency"), queryset=Agency.objects.none())
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(Channel.DIRECT, Channel.DIRECT.label), (Channel.POSTAL, Channel.POSTAL.label)],
        initial=Channel.DIRECT,
    )
    applicant_kind = forms.ChoiceField(
        label=_("Applicant kind"), choices=ApplicantKind.choices, initial=ApplicantKind.PERSON
    )
    applicant_name = forms.CharField(label=_("Applicant name"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("ID number / tax number"), max_length=40, required=False
    )
    applicant_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    applicant_email = forms.EmailField(label=_("Email"), required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=255, required=False)
    delivery_channel = forms.ChoiceField(
        label=_("Result delivery"), choices=DeliveryChannel.choices, initial=DeliveryChannel.COUNTER
    )
    delivery_address = forms.CharField(
        label=_("Delivery address (by post)"), max_length=255, required=False
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents submitted"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        choices=[],
    )
    confirm_missing = forms.BooleanField(
        label=_("Receive although required documents are missing"), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].label_from_instance = lambda p: f"{p.code} — {p.name}"
        procedure = self.selected_procedure()
        self.required_documents: dict[str, str] = {}
        if procedure is not None:
            self.fields["agency"].queryset = procedure.agencies.order_by("code")
            documents = list(procedure.documents.all())
            self.fields["documents"].choices = [(str(d.pk), _document_label(d)) for d in documents]
            self.required_documents = {str(d.pk): d.name for d in documents if d.mandatory}
        _bootstrap(self)
        self.fields["confirm_missing"].widget.attrs["class"] = "form-check-input"

    def selected_procedure(self) -> Procedure | None:
        value = self.data.get("procedure") if self.is_bound else self.initial.get("procedure")
        if not value:
            return None
        try:
            return Procedure.objects.filter(pk=int(getattr(value, "pk", value))).first()
        except (TypeError, ValueError):
            return None

    def clean_applicant_id_number(self) -> str:
        value = self.cleaned_data.get("applicant_id_number", "")
        return normalize_id_number(value) if value else ""

    def clean_applicant_phone(self) -> str:
        value = self.cleaned_data.get("applicant_phone", "")
        return normalize_phone(value) if value else ""

    def clean(self) -> dict:
        data = super().clean()
        problems = reception_problems(
            applicant={k: v for k, v in data.items() if k.startswith("applicant_")},
            delivery_channel=data.get("delivery_channel") or "",
            delivery_address=data.get("delivery_address") or "",
        )
        for field, message in problems.items():
            if field not in self.errors:  # a field's own error (e.g. required) says it already
                self.add_error(field, message)
        ticked = set(data.get("documents") or [])
        missing = [name for pk, name in self.required_documents.items() if pk not in ticked]
        if missing and not data.get("confirm_missing"):
            self.missing_documents = missing
            self.add_error(
                "documents",
                _(
                    "Required documents not ticked: %(names)s. Tick what the applicant brought, "
                    "or confirm that you receive the dossier without them."
                )
                % {"names": "; ".join(missing)},
            )
        return data


def _document_label(document) -> str:
    counts = _("%(originals)s original(s), %(copies)s copy(ies)") % {
        "originals": document.originals,
        "copies": document.copies,
    }
    mark = " *" if document.mandatory else ""
    return f"{document.name}{mark} ({counts})"


# --- dossier actions ---------------------------------------------------------------------


class ActionForm(CleanForm):
    """Base of the action forms: each knows its dossier (for choices) and its service kwargs."""

    def __init__(self, *args, dossier: Dossier, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        _bootstrap(self)
        label_blank_choices(self, _("— choose —"))

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OptionalReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class AssignForm(ActionForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())
    step = forms.ModelChoiceField(
        label=_("At step"), queryset=ProcessStep.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, dossier: Dossier, **kwargs) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        agencies = agency_subtree_ids(roots=[dossier.agency_id])
        self.fields["assignee"].queryset = (
            User.objects.filter(memberships__agency_id__in=agencies, is_active=True)
            .distinct()
            .order_by("full_name", "username")
        )
        if dossier.process_id:
            self.fields["step"].queryset = ProcessStep.objects.filter(process_id=dossier.process_id)


class StepForm(ActionForm):
    step = forms.ModelChoiceField(
        label=_("Next step"), queryset=ProcessStep.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, dossier: Dossier, **kwargs) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier.process_id:
            self.fields["step"].queryset = ProcessStep.objects.filter(process_id=dossier.process_id)


class TransferForm(ActionForm):
    to_agency = forms.ModelChoiceField(label=_("Hand over to"), queryset=Agency.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, dossier: Dossier, **kwargs) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["to_agency"].queryset = Agency.objects.exclude(pk=dossier.agency_id).order_by(
            "code"
        )


class StopForm(ReasonForm):
    notice_number = forms.CharField(label=_("Notice number"), required=False, max_length=64)


class ResolveForm(ActionForm):
    result = forms.CharField(
        label=_("Result (decision, licence number…)"), required=False, max_length=500
    )


class DeliverForm(ActionForm):
    delivery_channel = forms.ChoiceField(label=_("Delivered"), choices=DeliveryChannel.choices)
    postal_tracking = forms.CharField(
        label=_("Postal tracking number"), required=False, max_length=64
    )
    delivery_address = forms.CharField(label=_("Delivery address"), required=False, max_length=255)

    def __init__(self, *args, dossier: Dossier, **kwargs) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["delivery_channel"].initial = dossier.delivery_channel or "counter"


class ApologizeForm(ActionForm):
    new_due_at = forms.DateTimeField(
        label=_("New appointment"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)

    def clean_new_due_at(self):
        value = self.cleaned_data["new_due_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("The new appointment must be in the future."))
        return value


class UploadForm(CleanForm):
    file = forms.FileField(label=_("File"))
    document = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CounterClosureForm(CleanForm):
    agency = forms.ModelChoiceField(label=_("Unit"), queryset=Agency.objects.none())
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        _bootstrap(self)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end is before the start."))
        return data
