"""Which of an applicant's data an official sees in full: the one rule, used by every surface.

Those who handle the dossier (``permissions.handles``: a role of the permission table at its
handling agency, its receiving unit or the target of its pending hand-over; administrators)
see the ID number, the phone, the e-mail and the addresses in full. Everyone else who may see the dossier (monitors,
TTHC-control officers, an official whose agency only oversees it) sees them masked: all but the
last three characters replaced by ``*``. The dossier page, its printed forms and the unit's
register, the dossier list and its exports, and the API all ask this module (issue 16; Decree 13/2023/NĐ-CP).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import handles

# The personal fields that are masked for those who do not handle the dossier.
MASKED_FIELDS = (
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "delivery_address",
)
VISIBLE_TAIL = 3
MASK_CHAR = "*"


def mask(value: str | None) -> str:
    """``001090012345`` -> ``*********345``; a value of six characters or fewer is hidden
    entirely (its tail would be most of it); empty stays empty."""
    value = value or ""
    keep = VISIBLE_TAIL if len(value) > 2 * VISIBLE_TAIL else 0
    return MASK_CHAR * (len(value) - keep) + value[len(value) - keep :]


class Viewer:
    """One user's view of dossiers' personal data (remembers each dossier's answer)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._handles: dict[int, bool] = {}

    def in_full(self, dossier: Dossier) -> bool:
        """Whether the user sees this dossier's personal data unmasked."""
        known = self._handles.get(dossier.pk)
        if known is None:
            known = self._handles[dossier.pk] = handles(self.user, dossier)
        return known

    def value(self, dossier: Dossier, field: str) -> str:
        """The field as this user may see it."""
        raw = getattr(dossier, field) or ""
        if field in MASKED_FIELDS and not self.in_full(dossier):
            return mask(raw)
        return raw

    def files(self, dossier: Dossier) -> bool:
        """Whether the user may open the dossier's uploaded files: scans of identity papers
        and of the applicant's documents cannot be masked, so only those who see the data in
        full open them; the others see their names."""
        return self.in_full(dossier)

    def personal(self, dossier: Dossier) -> dict[str, str]:
        """The masked fields as this user may see them, by field name."""
        return {field: self.value(dossier, field) for field in MASKED_FIELDS}

    def payload(self, dossier: Dossier, payload: Mapping[str, Any]) -> dict[str, Any]:
        """An event's payload as this user may see it: the applicant data an event carries
        (``payload["applicant"]``, from imported history) masked like the dossier's own."""
        out = dict(payload)
        applicant = out.get("applicant")
        if isinstance(applicant, Mapping) and not self.in_full(dossier):
            out["applicant"] = {
                k: mask(v) if k in MASKED_FIELDS and isinstance(v, str) else v
                for k, v in applicant.items()
            }
        return out


class InFull(Viewer):
    """A program's view (the demo, documents built for the applicant by the system): every
    field in full. Pages and the API use a user's :class:`Viewer`."""

    def __init__(self) -> None:
        super().__init__(None)

    def in_full(self, dossier: Dossier) -> bool:
        return True


IN_FULL = InFull()
