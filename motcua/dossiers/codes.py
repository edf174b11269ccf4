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
    """The local calendar day (``core.localtime``) of a reception instant."""
    return timezone.localtime(at).date()


def allocate_code(*, agency: Agency, day: dt.date) -> str:
    """The next code of ``agency`` for ``day``. Must run inside the reception's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_code must run inside the transaction that saves the dossier")
    number = _next_number(agency_id=agency.pk, day=day)
    return format_code(agency_code=agency.code, day=day, number=number)


def _next_number(*, agency_id: int, day: dt.date) -> int:
    number = _increment(agency_id=agency_id, day=day)
    if number is None:
        try:
            # A savepoint: when another writer created the row first, only this insert is undone.
            with transaction.atomic():
                DossierCodeSequence.objects.create(agency_id=agency_id, day=day, last=1)
            return 1
        except IntegrityError:
            number = _increment(agency_id=agency_id, day=day)
    if number is None:  # pragma: no cover - the row exists once the insert conflicted
        raise RuntimeError("dossier code sequence row vanished")
    return number


def _increment(*, agency_id: int, day: dt.date) -> int | None:
    """Add one to the day's counter and return it (None when the row does not exist yet).

    One statement that locks the row until the transaction ends: ``UPDATE ... RETURNING``
    where the database has it (PostgreSQL, SQLite >= 3.35), else SELECT FOR UPDATE + UPDATE.
    """
    connection = transaction.get_connection()
    if connection.features.can_return_columns_from_insert:
        table = connection.ops.quote_name(DossierCodeSequence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last = last + 1 "  # noqa: S608 - table name from the model
                "WHERE agency_id = %s AND day = %s RETURNING last",
                [agency_id, day],
            )
            row = cursor.fetchone()
        return row[0] if row else None
    locked = DossierCodeSequence.objects.select_for_update()
    seq = locked.filter(agency_id=agency_id, day=day).first()
    if seq is None:
        return None
    seq.last += 1
    DossierCodeSequence.objects.filter(pk=seq.pk).update(last=seq.last)
    return seq.last
