"""A dossier's papers: uploaded files (checked by content) and the submitted-documents checklist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.audit import audit_record
from motcua.core.uploads import CheckedUpload, check_upload
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.models import (
    Dossier,
    DossierDocument,
    DossierFile,
)
from motcua.dossiers.permissions import (
    CHECKLIST,
    Actor,
    authorize,
)
from motcua.dossiers.services.common import (
    get_instance,
    instant,
    lock_dossier,
    move,
    record_event,
    require,
)


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
