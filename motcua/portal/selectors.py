"""Public reads of the citizen portal: the procedure catalogue (no login, nothing private)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from motcua.catalog.models import Agency, Field, Procedure
from motcua.catalog.selectors import procedure_text_q


def procedure_search(*, q: str = "", field_id: int | None = None) -> QuerySet[Procedure]:
    """Procedures in force matching words of their name or their code, with their documents."""
    qs = (
        Procedure.objects.filter(is_active=True)
        .select_related("field")
        .prefetch_related(
            "documents", Prefetch("agencies", queryset=Agency.objects.order_by("code"))
        )
        .order_by("field__name", "code")
    )
    qs = qs.filter(procedure_text_q(q))
    if field_id is not None:
        qs = qs.filter(field_id=field_id)
    return qs


def field_list() -> QuerySet[Field]:
    return Field.objects.filter(procedure__is_active=True).distinct().order_by("name")
