"""Forms of the citizen portal's online filing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core.forms import CleanForm
from motcua.core.validators import IdKind, normalize_id_number, normalize_phone
from motcua.dossiers.choices import ApplicantKind, DeliveryChannel
from motcua.portal.selectors import filing_choices

# How the result comes, in the applicant's words (the filing form and the look-up's page).
DELIVERY_FOR_APPLICANTS = {
    DeliveryChannel.COUNTER: _("at the agency's counter"),
    DeliveryChannel.ONLINE: _("online (electronic result)"),
    DeliveryChannel.POSTAL: _("by post, at my address"),
}


class OnlineFilingForm(CleanForm):
    # The procedure's agencies (portal.selectors.filing_choices, no query per request); the
    # cleaned value is the Agency.
    agency = forms.ChoiceField(label=_("Agency that will handle it"))
    applicant_kind = forms.ChoiceField(
        label=_("You file as"),
        choices=ApplicantKind.choices,
        widget=forms.RadioSelect,
        initial=ApplicantKind.PERSON,
    )
    applicant_name = forms.CharField(label=_("Full name / organisation name"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("Citizen ID (12 digits) or tax code"), max_length=40
    )
    applicant_phone = forms.CharField(label=_("Phone"), max_length=20)
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=255)
    delivery_channel = forms.ChoiceField(
        label=_("How do you want to receive the result?"), widget=forms.RadioSelect
    )
    delivery_address = forms.CharField(
        label=_("Address for the result by post"), max_length=255, required=False
    )
    note = forms.CharField(
        label=_("Note to the agency"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, procedure: Procedure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        agencies, documents = filing_choices(procedure=procedure)
        self.agencies = {str(agency.pk): agency for agency in agencies}
        self.fields["agency"].choices = [("", "---------")] + [
            (str(agency.pk), str(agency)) for agency in agencies
        ]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
        choices = [
            (c, DELIVERY_FOR_APPLICANTS[c])
            for c in (DeliveryChannel.COUNTER, DeliveryChannel.ONLINE)
        ]
        if procedure.postal_return:
            choices.append(
                (DeliveryChannel.POSTAL, DELIVERY_FOR_APPLICANTS[DeliveryChannel.POSTAL])
            )
        self.fields["delivery_channel"].choices = choices
        self.fields["delivery_channel"].initial = DeliveryChannel.COUNTER
        self.documents = documents
        for doc in self.documents:
            self.fields[f"doc_{doc.pk}"] = forms.FileField(
                label=doc.name, required=doc.mandatory, widget=forms.ClearableFileInput
            )
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "form-check-input"
                continue
            widget.attrs.setdefault(
                "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
            )
            if name.startswith("doc_"):
                widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.docx"

    def document_fields(self):
        return [self[f"doc_{doc.pk}"] for doc in self.documents]

    def clean_agency(self):
        return self.agencies[self.cleaned_data["agency"]]

    def clean_applicant_phone(self) -> str:
        return normalize_phone(self.cleaned_data["applicant_phone"])

    def clean(self):
        data = super().clean()
        kind, number = data.get("applicant_kind"), data.get("applicant_id_number")
        if number:
            kinds = (IdKind.CCCD,) if kind == ApplicantKind.PERSON else (IdKind.TAX,)
            try:
                data["applicant_id_number"] = normalize_id_number(number, kinds=kinds)
            except forms.ValidationError as exc:
                self.add_error("applicant_id_number", exc)
        if (
            data.get("delivery_channel") == DeliveryChannel.POSTAL
            and not (data.get("delivery_address") or "").strip()
        ):
            self.add_error("delivery_address", _("Give the address the post should deliver to."))
        return data

    def files_by_document(self) -> dict[int, object]:
        return {
            doc.pk: self.cleaned_data[f"doc_{doc.pk}"]
            for doc in self.documents
            if self.cleaned_data.get(f"doc_{doc.pk}")
        }

    def applicant(self) -> dict[str, str]:
        keys = ("applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone")
        data = {key: self.cleaned_data[key] for key in keys}
        data["applicant_email"] = self.cleaned_data.get("applicant_email") or ""
        data["applicant_address"] = self.cleaned_data["applicant_address"]
        return data
