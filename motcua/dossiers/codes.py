"""Dossier codes: ``<agency identifier>-<yymmdd>-<nnnn>``, per agency per reception day.

The counter lives in ``DossierCodeSequence`` (one row per agency and day). ``allocate_code`` locks
that row and increments it inside the caller's transaction, which also writes the dossier: if the
reception rolls back, the number goes back with it, so codes have neither gaps nor duplicates and
are never reused. On PostgreSQL the row lock serialises writers; on SQLite the settings open every
transaction with ``BEGIN IMMEDIATE``, so writers serialise on the database lock.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.dossiers.models import DossierCodeSequence


def format_code(*, agency_code: str, day: dt.date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def reception_day(at: dt.datetime) -> dt.date:
    """The local calendar day (Asia/Ho_Chi_Minh) of a reception instant."""
    return timezone.localtime(at).date()


def allocate_code(*, agency: Agency, day: dt.date) -> str:
    """The next code of ``agency`` for ``day``. Must run inside the reception's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_code must run inside the transaction that saves the dossier")
    number = _next_number(agency_id=agency.pk, day=day)
    return format_code(agency_code=agency.code, day=day, number=number)


def _next_number(*, agency_id: int, day: dt.date) -> int:
    locked = DossierCodeSequence.objects.select_for_update()
    row = locked.filter(agency_id=agency_id, day=day).first()
    if row is None:
        try:
            # A savepoint: when another writer created the row first, only this insert is undone.
            with transaction.atomic():
                row = DossierCodeSequence.objects.create(agency_id=agency_id, day=day, last=0)
        except IntegrityError:
            row = locked.get(agency_id=agency_id, day=day)
    row.last += 1
    DossierCodeSequence.objects.filter(pk=row.pk).update(last=row.last)
    return row.last
