"""The base of every form of the pages: text fields refuse control characters.

``CleanForm`` (or ``CleanTextMixin`` before another form class) gives each text field a
validator from ``core.cleaning``: single-line inputs refuse every control character, text areas
keep tab and line breaks. The error is shown next to the field, naming the character and its
position.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.deconstruct import deconstructible

from motcua.core.cleaning import check_text


@deconstructible
class ControlCharacterValidator:
    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str):
                check_text(item, multiline=self.multiline)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline


def guard_field(field: forms.Field) -> None:
    """Add the control-character validator to one text field (once)."""
    if not isinstance(field, forms.CharField | forms.MultipleChoiceField):
        return
    if any(isinstance(v, ControlCharacterValidator) for v in field.validators):
        return
    multiline = isinstance(field.widget, forms.Textarea)
    field.validators.append(ControlCharacterValidator(multiline=multiline))


class CleanTextMixin:
    """Put before ``forms.Form`` / ``forms.ModelForm``."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            guard_field(field)


class CleanForm(CleanTextMixin, forms.Form):
    pass


DASHES = "---------"  # the blank choice of Django's (and django-filter's) selects


def label_blank_choices(form: forms.Form, label: Any) -> None:
    """Give the blank choice of the form's selects a label in words ("— choose —", "— all —")
    instead of Django's untranslated dashes."""
    for field in form.fields.values():
        if getattr(field, "empty_label", None) == DASHES:
            field.empty_label = label
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = list(field.choices)
            if choices and choices[0] == ("", DASHES):
                field.choices = [("", label), *choices[1:]]
