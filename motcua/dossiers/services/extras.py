"""What is not a state change but is still recorded: apologies, ratings, files, checklist,
counter closures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.core.audit import audit_record
from motcua.core.uploads import check_upload
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.choices import RatingValue
from motcua.dossiers.models import (
    Apology,
    CounterClosure,
    Dossier,
    DossierDocument,
    DossierFile,
    Rating,
)
from motcua.dossiers.permissions import (
    CHECKLIST,
    COUNTER_CLOSURE,
    Actor,
    authorize,
    authorize_agency,
)
from motcua.dossiers.services.common import (
    agency_of,
    calendar_of,
    get_instance,
    instant,
    iso,
    lock_dossier,
    move,
    record_event,
    require,
    user_of,
)


@transaction.atomic
def dossier_apologize(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    new_due_at: dt.datetime,
    reason: str,
    at: dt.datetime | None = None,
) -> Apology:
    """Issue the apology letter with a new appointment (form 04). The law wants it before the
    deadline; a later one is accepted and flagged ``issued_late``. The due date does not move."""
    at = instant(at)
    new_due_at = instant(new_due_at)
    require(bool(reason.strip()), _("an apology needs its reason"))
    dossier = lock_dossier(dossier)
    authorize(actor, E.APOLOGIZE, dossier)
    from_state, _to = move(dossier, E.APOLOGIZE, at)
    require(dossier.due_at is not None, _("this dossier has no due date"))
    require(
        new_due_at > dossier.due_at and new_due_at > at,
        _("the new appointment must be after the current due date and after the letter"),
    )
    calendar = calendar_of(dossier.agency_id)
    day = new_due_at.astimezone(calendar.tz).date()
    require(
        calendar.is_working_day(day),
        _("the new appointment (%(day)s) is not a working day of %(agency)s")
        % {"day": day.strftime("%d/%m/%Y"), "agency": dossier.agency},
    )
    apology = Apology.objects.create(
        dossier=dossier,
        issued_at=at,
        new_due_at=new_due_at,
        reason=reason,
        issued_late=at > dossier.due_at,
    )
    record_event(
        dossier=dossier,
        type=E.APOLOGIZE,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={
            "apology_id": apology.pk,
            "new_due_at": iso(new_due_at),
            "issued_late": apology.issued_late,
            "reason": reason,
        },
    )
    return apology


@transaction.atomic
def dossier_rate(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    value: str,
    comment: str = "",
    official: User | int | None = None,
    at: dt.datetime | None = None,
) -> Rating:
    """The applicant's satisfaction rating (one per dossier), counted for the handling agency."""
    at = instant(at)
    require(value in RatingValue.values, _("unknown rating %(value)r") % {"value": value})
    dossier = lock_dossier(dossier)
    authorize(actor, E.RATE, dossier)
    from_state, _to = move(dossier, E.RATE, at)
    require(not dossier.ratings.exists(), _("this dossier has already been rated"))
    official_obj = user_of(official) if official is not None else dossier.assignee
    rating = Rating.objects.create(
        agency_id=dossier.agency_id,
        dossier=dossier,
        official=official_obj,
        value=value,
        at=at,
        comment=comment,
    )
    record_event(
        dossier=dossier,
        type=E.RATE,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={"rating_id": rating.pk, "value": value},
    )
    return rating


@transaction.atomic
def dossier_attach_file(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    uploaded_file: File,
    document: DossierDocument | int | None = None,
    at: dt.datetime | None = None,
) -> DossierFile:
    """Store an uploaded file through Django's storage API after checking its size and its type
    by content (``core.uploads.check_upload``). Writes an ATTACH event."""
    at = instant(at)
    checked = check_upload(uploaded_file)
    name, size, content_type = checked.name, checked.size, checked.content_type

    dossier = lock_dossier(dossier)
    authorize(actor, E.ATTACH, dossier)
    from_state, _to = move(dossier, E.ATTACH, at)
    doc = None
    if document is not None:
        doc = get_instance(DossierDocument, document, _("document"))
        require(doc.dossier_id == dossier.pk, _("that document belongs to another dossier"))
    stored = DossierFile(
        dossier=dossier,
        document=doc,
        original_name=name[:255],
        content_type=content_type,
        size=size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    stored.file.save(name, uploaded_file, save=False)
    try:
        stored.save()
        record_event(
            dossier=dossier,
            type=E.ATTACH,
            actor=actor,
            at=at,
            from_state=from_state,
            payload={
                "file_id": stored.pk,
                "name": stored.original_name,
                "content_type": content_type,
                "size": size,
                "sha256": stored.sha256,
                "document_id": doc.pk if doc else None,
            },
        )
    except Exception:
        stored.file.storage.delete(stored.file.name)  # no orphan file when nothing is recorded
        raise
    return stored


@transaction.atomic
def dossier_checklist_update(
    *, dossier: Dossier | int, actor: Actor | None, submitted: Iterable[int]
) -> list[DossierDocument]:
    """Mark which checklist items (DossierDocument ids) were handed in. Not a state change:
    no event; it is audited."""
    dossier = lock_dossier(dossier)
    authorize(actor, CHECKLIST, dossier)
    wanted = set(submitted)
    docs = list(dossier.documents.all())
    unknown = wanted - {d.pk for d in docs}
    require(
        not unknown,
        _("documents %(ids)s are not on this dossier's checklist")
        % {"ids": ", ".join(str(i) for i in sorted(unknown))},
    )
    for doc in docs:
        doc.submitted = doc.pk in wanted
    DossierDocument.objects.bulk_update(docs, ["submitted"])
    audit_record(
        actor=actor, action="dossier.checklist", obj=dossier, payload={"submitted": sorted(wanted)}
    )
    return docs


@transaction.atomic
def counter_closure_create(
    *, actor: Actor | None, agency: Agency | int, start: dt.date, end: dt.date, reason: str
) -> CounterClosure:
    """Suspend counter reception at a unit (and the units below it) from ``start`` to ``end``."""
    agency = agency_of(agency)
    authorize_agency(actor, COUNTER_CLOSURE, agency)
    require(end >= start, _("the closure must end on or after its first day"))
    require(bool(reason.strip()), _("a counter closure needs its reason"))
    closure = CounterClosure.objects.create(agency=agency, start=start, end=end, reason=reason)
    audit_record(
        actor=actor,
        action="counter_closure.create",
        obj=closure,
        payload={"start": start.isoformat(), "end": end.isoformat(), "reason": reason},
    )
    return closure
