"""A dossier's papers: uploaded files (checked by content) and the submitted-documents checklist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.audit import audit_record
from motcua.core.db import insert_row
from motcua.core.uploads import CheckedUpload, check_upload
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import (
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierFile,
)
from motcua.dossiers.permissions import Actor, authorize
from motcua.dossiers.services.common import (
    get_instance,
    instant,
    lock_dossier,
    move,
    record_event,
    require,
)
from motcua.dossiers.workflow import CHECKLIST, check_allowed


@transaction.atomic
def dossier_attach_file(
    *,
    dossier: Dossier | int,
    actor: Actor | None,
    uploaded_file: File,
    document: DossierDocument | int | None = None,
    at: dt.datetime | None = None,
    checked: CheckedUpload | None = None,
) -> DossierFile:
    """Store an uploaded file through Django's storage API after checking its size and its type
    by content (``core.uploads.check_upload``). Writes an ATTACH event. ``checked``: what
    ``check_upload`` already said of this very file in the caller's transaction (the portal checks
    every file before writing anything), so that a megabyte is not read and hashed twice."""
    at = instant(at)
    if checked is None:
        checked = check_upload(uploaded_file)

    dossier = lock_dossier(dossier)
    authorize(actor, E.ATTACH, dossier)
    from_state, _to = move(dossier, E.ATTACH, at)
    doc = None
    if document is not None:
        doc = get_instance(DossierDocument, document, _("document"))
        require(doc.dossier_id == dossier.pk, _("that document belongs to another dossier"))
    stored, _event = store_file(
        dossier=dossier,
        actor=actor,
        uploaded_file=uploaded_file,
        checked=checked,
        document=doc,
        at=at,
        from_state=from_state,
    )
    return stored


def store_file(
    *,
    dossier: Dossier,
    actor: Actor | None,
    uploaded_file: File,
    checked: CheckedUpload,
    document: DossierDocument | None,
    at: dt.datetime,
    from_state: str,
    after: DossierEvent | None = None,
) -> tuple[DossierFile, DossierEvent]:
    """The writing half of an ATTACH, once the caller has locked the dossier, authorized the
    actor and moved the dossier (``move``): the file through Django's storage API, its row and
    the ATTACH event (``after``: as for ``record_event``). The stored file is deleted again when
    its row or event cannot be written."""
    stored = DossierFile(
        dossier=dossier,
        document=document,
        original_name=checked.name[:255],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    stored.file.save(checked.name, uploaded_file, save=False)
    try:
        insert_row(stored)
        event = record_event(
            dossier=dossier,
            type=E.ATTACH,
            actor=actor,
            at=at,
            from_state=from_state,
            after=after,
            payload={
                "file_id": stored.pk,
                "name": stored.original_name,
                "content_type": checked.content_type,
                "size": checked.size,
                "sha256": stored.sha256,
                "document_id": document.pk if document else None,
            },
        )
    except Exception:
        stored.file.storage.delete(stored.file.name)  # no orphan file when nothing is recorded
        raise
    return stored, event


def attach_submitted(
    dossier: Dossier,
    *,
    actor: Actor | None,
    files: Mapping[int, tuple[File, CheckedUpload]],
    checklist: list[DossierDocument],
    after: DossierEvent,
) -> None:
    """An online submission's files (``services.reception.dossier_submit_online``), attached
    as ``dossier_attach_file`` would attach them one after the other, at the SUBMIT event's time
    (the dossier is new in this transaction: no lock, no read of its last event). A failure
    deletes the files already stored."""
    by_required = {row.required_id: row for row in checklist}
    if any(row.pk is None for row in checklist):  # a database that returns no ids on bulk insert
        by_required = {row.required_id: row for row in dossier.documents.all()}
    unknown = set(files) - set(by_required)
    require(not unknown, _("A file was sent for a document this procedure does not ask for."))
    stored: list[DossierFile] = []
    try:
        for required_id, (uploaded, checked) in files.items():
            authorize(actor, E.ATTACH, dossier)
            from_state, _to = move(dossier, E.ATTACH, after.at, last_at=after.at)
            row, after = store_file(
                dossier=dossier,
                actor=actor,
                uploaded_file=uploaded,
                checked=checked,
                document=by_required[required_id],
                at=after.at,
                from_state=from_state,
                after=after,
            )
            stored.append(row)
    except Exception:
        for row in stored:
            row.file.storage.delete(row.file.name)
        raise


@transaction.atomic
def dossier_checklist_update(
    *, dossier: Dossier | int, actor: Actor | None, submitted: Iterable[int]
) -> list[DossierDocument]:
    """Mark which checklist items (DossierDocument ids) were handed in. Not a state change:
    no event; it is audited."""
    dossier = lock_dossier(dossier)
    check_allowed(dossier.state, CHECKLIST)
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
