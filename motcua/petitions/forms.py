"""Forms of feedback and petitions: the public form, the follow-up form and the officials' ones."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Agency, Procedure
from motcua.core.forms import CleanForm
from motcua.petitions.choices import PetitionAbout


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the service (core.uploads)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _style(form: forms.Form) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)
        if field.required:
            widget.attrs.setdefault("aria-required", "true")
        widget.attrs.setdefault("id", f"id_{name}")


class PetitionForm(CleanForm):
    about = forms.ChoiceField(
        label=_("The petition is about"),
        choices=PetitionAbout.choices,
        widget=forms.RadioSelect,
        initial=PetitionAbout.PROCEDURE,
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False
    )
    procedure = forms.ModelChoiceField(
        label=_("Procedure"), queryset=Procedure.objects.none(), required=False
    )
    dossier_code = forms.CharField(label=_("Dossier code"), max_length=64, required=False)
    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation (if any)"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    title = forms.CharField(label=_("Title"), max_length=255)
    content = forms.CharField(
        label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    files = MultipleFileField(label=_("Attachments (PDF, JPEG, PNG, Word)"), required=False)
    consent_publish = forms.BooleanField(
        label=_("I agree that the answer (without my contact details) may be published"),
        required=False,
    )

    def __init__(self, *args, agencies, procedures, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["procedure"].queryset = procedures
        _style(self)

    def clean(self):
        data = super().clean()
        about = data.get("about")
        if about == PetitionAbout.PROCEDURE and not data.get("procedure"):
            self.add_error("procedure", _("Choose the procedure."))
        if about == PetitionAbout.DOSSIER and not data.get("dossier_code"):
            self.add_error("dossier_code", _("Give the dossier code printed on your receipt."))
        if about in (PetitionAbout.PROCEDURE, PetitionAbout.AGENCY) and not data.get("agency"):
            self.add_error("agency", _("Choose the agency."))
        if not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("Give a phone number or an e-mail address."))
        return data


class PetitionFollowForm(CleanForm):
    code = forms.CharField(label=_("Petition code"), max_length=32)
    secret = forms.CharField(label=_("Secret"), max_length=32)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class AssignForm(CleanForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None)

    def __init__(self, *args, users, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users
        _style(self)


class AnswerForm(CleanForm):
    answer = forms.CharField(
        label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
