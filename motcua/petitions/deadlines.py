"""When a petition's answer is on time, late or overdue: the one definition, in Python and as
filters. (Dossiers have theirs in ``dossiers/deadlines.py``; a petition's answer is due at an
instant computed by ``petitions.services.answer_due`` and compared as an instant.)"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import F, Q
from django.utils import timezone

if TYPE_CHECKING:
    from motcua.petitions.models import Petition


def answered_on_time_q() -> Q:
    return Q(answered_at__lte=F("due_at"))


def answered_late_q() -> Q:
    return Q(answered_at__gt=F("due_at"))


def overdue_at_q(at: dt.datetime) -> Q:
    """Due before ``at`` (combine with "not answered by then")."""
    return Q(due_at__lt=at)


def answered_on_time(petition: Petition) -> bool | None:
    if petition.answered_at is None:
        return None
    return petition.answered_at <= petition.due_at


def is_overdue(petition: Petition, at: dt.datetime | None = None) -> bool:
    """Not answered and past its due instant at ``at`` (now by default)."""
    at = at or timezone.now()
    return petition.answered_at is None and petition.due_at < at
