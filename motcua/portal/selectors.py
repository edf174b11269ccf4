"""Public reads of the citizen portal: the procedure catalogue (no login, nothing private)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
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
