"""Which set of printed forms a dossier uses, and each form's number, title and paper.

Circular 03/2025/TT-VPCP replaced the forms of Circular 01/2018/TT-VPCP from 15 Sep 2025. The
one rule (:func:`form_set_for`): a dossier prints the set in force on its reception day (its
submission day before reception); a register prints the set in force on its period's last day.
A form the older set lacks (the notice of stopping, Decree 118/2025) is printed from the newer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from motcua.core.documents.model import Orientation, Paper

CIRCULAR_03_2025_FROM = dt.date(2025, 9, 15)
SET_2025 = "03/2025/TT-VPCP"
SET_2018 = "01/2018/TT-VPCP"

# Stable names of the forms, whatever their number in a set.
RECEIPT = "receipt"
SUPPLEMENT = "supplement"
REFUSAL = "refusal"
APOLOGY = "apology"
STOP = "stop"
CONTROL = "control"
REGISTER = "register"
KINDS = (RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY, STOP, CONTROL, REGISTER)


@dataclass(frozen=True)
class FormSpec:
    kind: str
    circular: str
    number: str  # "01"
    title: str
    paper: Paper = "A5"
    orientation: Orientation = "portrait"

    @property
    def label(self) -> str:
        return f"Mẫu số {self.number}"

    @property
    def basis(self) -> str:
        return f"(Kèm theo Thông tư số {self.circular})"


def _spec(kind, circular, number, title, paper="A5", orientation="portrait") -> FormSpec:
    return FormSpec(kind, circular, number, title, paper, orientation)


FORM_SETS: dict[str, dict[str, FormSpec]] = {
    SET_2025: {
        spec.kind: spec
        for spec in (
            _spec(
                RECEIPT, SET_2025, "01", _("Receipt of the dossier and appointment for the result")
            ),
            _spec(SUPPLEMENT, SET_2025, "02", _("Request to supplement and complete the dossier")),
            _spec(REFUSAL, SET_2025, "03", _("Refusal to receive and handle the dossier")),
            _spec(
                APOLOGY,
                SET_2025,
                "04",
                _("Letter of apology and request to extend the handling time"),
            ),
            _spec(STOP, SET_2025, "05", _("Notice of stopping the handling of the dossier")),
            _spec(CONTROL, SET_2025, "06", _("Control sheet of the dossier's handling"), "A4"),
            _spec(REGISTER, SET_2025, "07", _("Dossier register"), "A4", "landscape"),
        )
    },
    SET_2018: {
        spec.kind: spec
        for spec in (
            _spec(
                RECEIPT, SET_2018, "01", _("Receipt of the dossier and appointment for the result")
            ),
            _spec(SUPPLEMENT, SET_2018, "02", _("Request to supplement and complete the dossier")),
            _spec(REFUSAL, SET_2018, "03", _("Refusal to receive and handle the dossier")),
            _spec(APOLOGY, SET_2018, "04", _("Apology and new appointment for the result")),
            _spec(CONTROL, SET_2018, "05", _("Control sheet of the dossier's handling"), "A4"),
            _spec(REGISTER, SET_2018, "06", _("Dossier register"), "A4", "landscape"),
        )
    },
}


def form_set_for(day: dt.date) -> str:
    """The circular whose forms are in force on ``day``."""
    return SET_2025 if day >= CIRCULAR_03_2025_FROM else SET_2018


def form_spec(kind: str, day: dt.date) -> FormSpec:
    """The form ``kind`` of the set in force on ``day`` (the newer set's when the older lacks it)."""
    chosen = FORM_SETS[form_set_for(day)]
    return chosen.get(kind) or FORM_SETS[SET_2025][kind]
