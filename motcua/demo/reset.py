"""Removes the demo province and everything attached to it (for `motcua demo --reset`)."""

from __future__ import annotations

from django.db import transaction

from motcua.accounts.models import Membership, User
from motcua.catalog.models import (
    Agency,
    Field,
    InternalProcess,
    Procedure,
    ProcedureAssignment,
    ProcessStep,
    RequiredDocument,
)
from motcua.control.models import (
    DraftLegalText,
    Posting,
    ProcedureReview,
    ProcedureRevision,
    ProcessApproval,
    PublicationDecision,
)
from motcua.core.models import AuditLog
from motcua.demo.build_catalog import DEMO_ACCOUNTS
from motcua.demo.catalog_data import FIELDS, PROCEDURES
from motcua.dossiers.models import (
    Apology,
    CounterClosure,
    Dossier,
    DossierCodeSequence,
    DossierDocument,
    DossierEvent,
    DossierFile,
    Handover,
    Rating,
    SupplementWait,
)


@transaction.atomic
def reset_demo() -> None:
    agencies = list(Agency.objects.filter(code__contains="H99").values_list("id", flat=True))
    dossiers = Dossier.objects.filter(agency_id__in=agencies)
    for model in (Apology, SupplementWait, Handover, DossierFile, DossierDocument, DossierEvent):
        model.objects.filter(dossier__in=dossiers).delete()
    Rating.objects.filter(agency_id__in=agencies).delete()
    Rating.objects.filter(dossier__in=dossiers).delete()
    dossiers.delete()
    DossierCodeSequence.objects.filter(agency_id__in=agencies).delete()
    CounterClosure.objects.filter(agency_id__in=agencies).delete()
    codes = [p.code for p in PROCEDURES]
    # TTHC control records (they protect the procedures, agencies and users they name).
    Posting.objects.filter(agency_id__in=agencies).delete()
    Posting.objects.filter(procedure__code__in=codes).delete()
    ProcedureReview.objects.filter(agency_id__in=agencies).delete()
    ProcedureReview.objects.filter(procedure__code__in=codes).delete()
    DraftLegalText.objects.filter(agency_id__in=agencies).delete()
    DraftLegalText.objects.filter(drafting_agency_id__in=agencies).delete()
    decisions = PublicationDecision.objects.filter(agency_id__in=agencies)
    ProcessApproval.objects.filter(decision__in=decisions).delete()
    ProcedureRevision.objects.filter(decision__in=decisions).delete()
    ProcedureRevision.objects.filter(procedure__code__in=codes).delete()
    decisions.delete()  # and their items
    ProcessStep.objects.filter(process__procedure__code__in=codes).delete()
    InternalProcess.objects.filter(procedure__code__in=codes).delete()
    RequiredDocument.objects.filter(procedure__code__in=codes).delete()
    ProcedureAssignment.objects.filter(procedure__code__in=codes).delete()
    Procedure.objects.filter(code__in=codes).delete()
    Field.objects.filter(code__in=list(FIELDS), procedure__isnull=True).delete()
    users = User.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS])
    AuditLog.objects.filter(actor__in=users).delete()
    Membership.objects.filter(agency_id__in=agencies).delete()
    users.delete()
    # Children before parents.
    remaining = Agency.objects.filter(id__in=agencies)
    while remaining.exists():
        Agency.objects.filter(id__in=agencies, children__isnull=True).delete()
