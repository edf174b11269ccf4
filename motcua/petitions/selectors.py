"""Reads of petitions: the officials' lists (scoped to the user), the public look-up and the
published answers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motcua.accounts.selectors import restrict_to_user
from motcua.petitions.choices import PetitionState
from motcua.petitions.codes import secret_matches
from motcua.petitions.models import Petition


def petition_list(*, user: Any, state: str | None = None) -> QuerySet[Petition]:
    """Petitions of the agencies the user may see, newest first."""
    qs = restrict_to_user(
        Petition.objects.select_related("agency", "procedure", "dossier", "assigned_to"),
        user=user,
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-received_at", "-pk")


def petition_get(*, user: Any, code: str) -> Petition | None:
    return petition_list(user=user).filter(code=(code or "").strip().upper()).first()


def petition_lookup_public(*, code: str, secret: str) -> Petition | None:
    """The petition whose code AND secret match; anything else is None (the same answer for an
    unknown code and a wrong secret)."""
    code, secret = (code or "").strip().upper(), (secret or "").strip()
    if not code or not secret:
        return None
    petition = Petition.objects.select_related("agency").filter(code=code).first()
    if petition is None or not secret_matches(petition.secret_hash, code, secret):
        return None
    return petition


def petitions_published() -> QuerySet[Petition]:
    """Answers published with the petitioner's consent (no contact details are shown)."""
    return (
        Petition.objects.filter(
            state=PetitionState.ANSWERED, consent_publish=True, published_at__isnull=False
        )
        .select_related("agency", "procedure")
        .order_by("-published_at", "-pk")
    )


def dossier_for_petition(*, code: str):
    """The dossier a petition names by its code (codes are not secret; nothing else is read)."""
    from motcua.dossiers.models import Dossier

    code = (code or "").strip().upper()
    return Dossier.objects.select_related("agency").filter(code=code).only("pk", "agency").first()


def petition_assignees(*, petition: Petition) -> QuerySet:
    """Officials of the petition's agency who may be given it to answer."""
    from motcua.accounts.models import User
    from motcua.petitions.permissions import ASSIGNABLE

    return (
        User.objects.filter(
            is_active=True,
            memberships__agency_id=petition.agency_id,
            memberships__role__in=ASSIGNABLE,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
