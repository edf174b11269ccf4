"""Retention: erasing a closed dossier's personal data and uploaded files when their time is up.

Not a move of the workflow (no button offers it): the state, the instants and everything the
statistics count stay as they are; only the applicant's identity, contact and the uploaded
files' contents go. One ``erase`` event records what was erased (names of fields, counts of
files), never the values."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import Actor, authorize
from motcua.dossiers.search import applicant_search_text
from motcua.dossiers.services.common import instant, lock_dossier, record_event, require

PERSONAL_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "delivery_address",
    "postal_tracking",
    "note",
)


@transaction.atomic
def dossier_erase_personal_data(
    *,
    dossier: Dossier | int,
    actor: Actor,
    personal: bool = True,
    files: bool = True,
    at: dt.datetime | None = None,
) -> Dossier:
    """Erase the personal fields (``personal``) and the uploaded files' contents (``files``)
    of a closed dossier. Files are deleted from storage after the transaction commits."""
    at = instant(at)
    dossier = lock_dossier(dossier)
    authorize(actor, E.ERASE, dossier)
    require(dossier.closed_at is not None, _("only a closed dossier's data can be erased"))
    last_at = dossier.events.order_by("-seq").values_list("at", flat=True).first()
    require(last_at is None or at >= last_at, _("the time is before the dossier's last step"))
    fields = [name for name in PERSONAL_FIELDS if personal and getattr(dossier, name)]
    stored = list(dossier.files.exclude(file="")) if files else []
    require(bool(fields or stored), _("nothing left to erase"))
    for name in fields:
        setattr(dossier, name, "")
    if fields:
        # The search column holds the name, ID number and phone too (dossiers/search.py).
        dossier.applicant_search = applicant_search_text(
            dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_phone
        )
        dossier.save(update_fields=[*fields, "applicant_search"])
    names = [f.file.name for f in stored]
    storage = stored[0].file.storage if stored else None
    for f in stored:
        f.file = ""
        f.original_name = ""
        f.save(update_fields=["file", "original_name"])
    if storage is not None:
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    record_event(
        dossier=dossier,
        type=E.ERASE,
        actor=actor,
        at=at,
        from_state=dossier.state,
        payload={"fields": fields, "files": len(stored)},
    )
    return dossier
