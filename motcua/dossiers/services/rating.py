"""The applicant's rating of the service, once per dossier, tied to the officials who handled it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers.choices import EventType as E
from motcua.dossiers.choices import RatingValue
from motcua.dossiers.models import (
    Dossier,
    Rating,
    RatingOfficial,
)
from motcua.dossiers.permissions import (
    Actor,
    authorize,
)
from motcua.dossiers.services.common import (
    instant,
    lock_dossier,
    move,
    record_event,
    require,
    user_of,
)
from motcua.dossiers.workflow import handling_officials


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
    # Tied to every official who handled the dossier (received, processed, approved, delivered).
    handled = handling_officials(dossier.events.only("type", "actor_id"))
    RatingOfficial.objects.bulk_create(
        RatingOfficial(rating=rating, official_id=user_id) for user_id in handled
    )
    record_event(
        dossier=dossier,
        type=E.RATE,
        actor=actor,
        at=at,
        from_state=from_state,
        payload={"rating_id": rating.pk, "value": value, "officials": handled},
    )
    return rating
