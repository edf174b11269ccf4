"""Writing the per-day tables of the statistics (the daily summary, the stock snapshot): one
way to replace a set of days' rows and to mark those days built. Called inside the caller's
transaction, after its locks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone

from motcua.stats.models import field_name

Key = tuple[int, int | None, date]  # (agency, field, day)


def replace_rows(
    model: type[models.Model], counts: Mapping[Key, Mapping[str, int]], **days: Any
) -> int:
    """Delete ``model``'s rows of the days selected by ``days`` (a filter) and write ``counts``
    (by agency, field and day); returns the rows written."""
    model.objects.filter(**days).delete()
    rows = [
        model(
            agency_id=agency_id,
            field_id=field_id,
            day=day,
            **{field_name(k): v for k, v in c.items()},
        )
        for (agency_id, field_id, day), c in counts.items()
    ]
    model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def mark_built(model: type[models.Model], days: Iterable[date]) -> None:
    """These days of ``model`` (SummaryDay, StockDay) are built now and not stale."""
    days = list(days)
    now = timezone.now()
    model.objects.filter(day__in=days).delete()
    model.objects.bulk_create([model(day=d, stale=False, built_at=now) for d in days])
