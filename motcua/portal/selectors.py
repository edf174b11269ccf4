"""Public reads of the citizen portal: the procedure catalogue (no login, nothing private)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import Agency, Field, Procedure
from motcua.catalog.selectors import procedure_text_q
from motcua.control.selectors import procedures_in_force_q


def _today() -> dt.date:
    return timezone.localdate()


def procedures_public(*, on: dt.date | None = None) -> QuerySet[Procedure]:
    """Procedures in force today (the TTHC-control history decides), with their documents."""
    return (
        Procedure.objects.filter(procedures_in_force_q(on=on or _today()))
        .select_related("field")
        .prefetch_related(
            "documents", Prefetch("agencies", queryset=Agency.objects.order_by("code"))
        )
    )


def procedure_search(
    *,
    q: str = "",
    field_id: int | None = None,
    agency_id: int | None = None,
    level: str = "",
    online_class: str = "",
    on: dt.date | None = None,
) -> QuerySet[Procedure]:
    """Procedures in force matching words of their name or their code (case and diacritics
    ignored), narrowed by field, agency, level and online class."""
    qs = procedures_public(on=on).filter(procedure_text_q(q)).order_by("field__name", "code")
    if field_id is not None:
        qs = qs.filter(field_id=field_id)
    if agency_id is not None:
        qs = qs.filter(agencies=agency_id).distinct()
    if level:
        qs = qs.filter(level=level)
    if online_class:
        qs = qs.filter(online_class=online_class)
    return qs


def procedure_public_get(*, code: str, on: dt.date | None = None) -> Procedure | None:
    return procedures_public(on=on).filter(code=(code or "").strip()).first()


def field_list() -> QuerySet[Field]:
    return Field.objects.filter(procedure__is_active=True).distinct().order_by("name")


def agencies_with_procedures() -> QuerySet[Agency]:
    return Agency.objects.filter(procedures__is_active=True).distinct().order_by("name")


def dossier_for_applicant(*, code: str, proof: str):
    """The portal's look-up: the dossier whose code (or online tracking reference) is ``code``,
    case-insensitive, only when ``proof`` is the applicant's ID number or the submission's secret.
    An unknown code and a wrong proof both give None."""
    from motcua.dossiers.models import Dossier
    from motcua.petitions.codes import secret_matches
    from motcua.portal.models import OnlineSubmission

    code, proof = (code or "").strip().upper(), (proof or "").strip()
    if not code or not proof:
        return None
    dossier = Dossier.objects.select_related("agency", "procedure").filter(code=code).first()
    submission = None
    if dossier is None:
        submission = (
            OnlineSubmission.objects.select_related("dossier__agency", "dossier__procedure")
            .filter(reference=code)
            .first()
        )
        dossier = submission.dossier if submission is not None else None
    if dossier is None:
        return None
    if dossier.applicant_id_number and proof.replace(" ", "") == dossier.applicant_id_number:
        return dossier
    if submission is None:
        submission = OnlineSubmission.objects.filter(dossier=dossier).first()
    if submission is not None and secret_matches(
        submission.secret_hash, submission.reference, proof
    ):
        return dossier
    return None


def submission_for_secret(*, code: str, secret: str):
    """The online submission whose tracking reference (or its dossier's code) is ``code`` and
    whose secret is ``secret``; None for anything else, whichever part is wrong."""
    from motcua.petitions.codes import secret_matches
    from motcua.portal.models import OnlineSubmission

    code, secret = (code or "").strip().upper(), (secret or "").strip()
    if not code or not secret:
        return None
    submission = (
        OnlineSubmission.objects.select_related("dossier__procedure", "dossier__agency")
        .filter(Q(reference=code) | Q(dossier__code=code))
        .first()
    )
    if submission is None or not secret_matches(
        submission.secret_hash, submission.reference, secret
    ):
        return None
    return submission
