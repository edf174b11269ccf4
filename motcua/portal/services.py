"""Writes of the citizen portal: online filing (through the dossier services, in one transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency, Procedure
from motcua.core.db import insert_row
from motcua.core.errors import MotcuaError
from motcua.core.uploads import check_upload
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import PORTAL
from motcua.integrations.models import Occasion
from motcua.integrations.notices import submission_values
from motcua.integrations.outbox import queue_notice
from motcua.petitions.codes import SECRET_LENGTH, random_text, secret_digest
from motcua.portal.models import OnlineSubmission


@transaction.atomic
def online_filing_submit(
    *,
    procedure: Procedure,
    agency: Agency,
    applicant: Mapping[str, str],
    delivery_channel: str,
    delivery_address: str = "",
    files: Mapping[int, File],
    note: str = "",
    at: dt.datetime | None = None,
) -> tuple[Dossier, OnlineSubmission, str]:
    """File a dossier online: the submission waits for the agency's pre-check; its deadline
    starts at acceptance. ``files`` maps required-document ids to the uploaded file. Every file is
    checked and every mandatory document must have one before anything is written. Returns the
    dossier, its tracking reference (``sent_by``: the channels the secret is also sent by, "sms",
    "email") and the secret (shown once, kept only as a digest)."""
    at = at or timezone.now()
    required = {d.pk: d for d in procedure.documents.all()}
    unknown = set(files) - set(required)
    if unknown:
        raise MotcuaError(_("A file was sent for a document this procedure does not ask for."))
    missing = [d.name for d in required.values() if d.mandatory and d.pk not in files]
    if missing:
        raise MotcuaError(
            _("Attach the required documents: %(names)s.") % {"names": "; ".join(missing)}
        )
    checked = {}
    for doc_id, uploaded in files.items():
        try:
            checked[doc_id] = (uploaded, check_upload(uploaded))
        except MotcuaError as exc:
            raise MotcuaError(f"{required[doc_id].name}: {exc}") from None
    # Nothing was written so far; the dossier, its checklist, the SUBMIT event, the files and
    # their ATTACH events are written by the one service (no lock or read-back of a dossier
    # created in this very transaction).
    dossier = dossier_services.dossier_submit_online(
        actor=PORTAL,
        agency=agency,
        procedure=procedure,
        documents_submitted=list(files),
        delivery_channel=delivery_channel,
        delivery_address=delivery_address,
        note=note,
        at=at,
        files=checked,
        **applicant,
    )
    secret = random_text(SECRET_LENGTH)
    submission = _new_submission(dossier, secret, at)
    dossier.online_submission = submission
    # The applicant's copy of the tracking code and secret by SMS / e-mail, queued in this
    # transaction (the secret is held apart from the payload and wiped once sent).
    queued = queue_notice(
        dossier,
        Occasion.SUBMISSION,
        lambda: submission_values(dossier),
        seq=1,  # the submit event, the dossier's first
        secret=secret,
    )
    submission.sent_by = sorted({m.peer for m in queued})  # for the page: "also sent by SMS"
    return dossier, submission, secret


def _new_submission(dossier: Dossier, secret: str, at: dt.datetime) -> OnlineSubmission:
    for _attempt in range(5):
        reference = f"TT{timezone.localtime(at):%y%m%d}-{random_text(6)}"
        try:
            with transaction.atomic():
                submission = OnlineSubmission(
                    dossier=dossier,
                    reference=reference,
                    secret_hash=secret_digest(reference, secret),
                    created_at=at,
                )
                insert_row(submission)
                return submission
        except IntegrityError:
            continue
    raise MotcuaError(_("No free tracking reference; please try again."))  # pragma: no cover


@transaction.atomic
def online_filing_correct(
    *,
    dossier: Dossier,
    files: Mapping[int, File],
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The applicant corrects a submission returned at pre-check: new files for checklist rows
    (``files`` maps DossierDocument ids to uploads), checked first, then the submission waits for
    the pre-check again."""
    at = at or timezone.now()
    checklist = {d.pk: d for d in dossier.documents.all()}
    if set(files) - set(checklist):
        raise MotcuaError(_("A file was sent for a document this dossier does not list."))
    if not files and not note.strip():
        raise MotcuaError(_("Attach the corrected documents or explain the correction."))
    checked = {}
    for doc_id, uploaded in files.items():
        try:
            checked[doc_id] = check_upload(uploaded)
        except MotcuaError as exc:
            raise MotcuaError(f"{checklist[doc_id].name}: {exc}") from None
    for doc_id, uploaded in files.items():
        dossier_services.dossier_attach_file(
            dossier=dossier,
            actor=PORTAL,
            uploaded_file=uploaded,
            document=checklist[doc_id],
            at=at,
            checked=checked[doc_id],
        )
    return dossier_services.dossier_resubmit(
        dossier=dossier, actor=PORTAL, documents_submitted=list(files), note=note, at=at
    )
