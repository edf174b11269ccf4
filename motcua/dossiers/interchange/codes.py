"""Dossier codes for imports, many at a time, on the same counters as the counter receptions.

`allocate_codes` advances each ``DossierCodeSequence`` row (agency, day) once for all the rows
of an import that need a code, and raises it past every standard-form code the file brings,
so that a later reception at the counter never gets a code already used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from motcua.dossiers.codes import format_code
from motcua.dossiers.interchange.bulkwrite import codes_in_database, insert_rows, update_column
from motcua.dossiers.models import Dossier, DossierCodeSequence

_STANDARD = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{4,})$")
_CHUNK = 2000


def standard_parts(code: str, agencies: dict[str, int]) -> tuple[int, dt.date, int] | None:
    """(agency id, day, number) of a code in the standard form of a known agency, else None."""
    match = _STANDARD.match(code)
    if match is None or match["agency"] not in agencies:
        return None
    try:
        day = dt.datetime.strptime(match["day"], "%y%m%d").date()
    except ValueError:
        return None
    return agencies[match["agency"]], day, int(match["number"])


def allocate_codes(
    *,
    wanted: list[tuple[int, dt.date]],
    taken: Iterable[tuple[int, dt.date, int]],
    agency_codes: dict[int, str],
    _retry: bool = False,
) -> list[str]:
    """One new code for each (agency id, day) of ``wanted``, in order.

    ``taken`` are the (agency id, day, number) of the standard-form codes being imported: the
    counters are raised past them. Runs inside the import's transaction (rows locked).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_codes must run inside the import's transaction")
    floor: dict[tuple[int, dt.date], int] = defaultdict(int)
    for agency_id, day, number in taken:
        floor[(agency_id, day)] = max(floor[(agency_id, day)], number)
    keys = set(floor) | set(wanted)
    if not keys:
        return []
    existing = _lock_existing(keys)
    last = {
        key: max(seq[1] if (seq := existing.get(key)) else 0, floor.get(key, 0)) for key in keys
    }
    codes: list[str] = []
    # format_code(...) is "<agency>-<yymmdd>-" and the number: each day is formatted once, and
    # the form is checked against format_code for each agency and each day.
    days: dict[dt.date, str] = {}
    prefixes: dict[tuple[int, dt.date], str] = {}
    for key in set(wanted):
        day = days.get(key[1])
        if day is None:
            day = days[key[1]] = key[1].strftime("%y%m%d")
        prefixes[key] = f"{agency_codes[key[0]]}-{day}-"
    samples = {key[0]: key for key in prefixes} | {key[1]: key for key in prefixes}
    if not all(_prefix_holds(key, prefixes[key], agency_codes) for key in samples.values()):
        raise RuntimeError("dossiers.codes.format_code changed its form: update allocate_codes")
    for key in wanted:
        number = last[key] = last[key] + 1
        codes.append(f"{prefixes[key]}{number:04d}")
    codes = _avoid_existing(codes, wanted, last, agency_codes)
    changed = [(pk, last[key]) for key, (pk, old) in existing.items() if last[key] != old]
    update_column(DossierCodeSequence, "last", changed)
    missing = [
        {"agency_id": key[0], "day": key[1], "last": last[key]} for key in keys - set(existing)
    ]
    try:
        with transaction.atomic():
            insert_rows(DossierCodeSequence, missing)
    except IntegrityError:
        # A reception created one of these counters meanwhile: start again, now locking it.
        if _retry:
            raise
        return allocate_codes(wanted=wanted, taken=taken, agency_codes=agency_codes, _retry=True)
    return codes


def _prefix_holds(key: tuple[int, dt.date], prefix: str, agency_codes: dict[int, str]) -> bool:
    return all(
        format_code(agency_code=agency_codes[key[0]], day=key[1], number=number)
        == f"{prefix}{number:04d}"
        for number in (1, 12345)
    )


def _lock_existing(keys: set[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], tuple[int, int]]:
    """(pk, last) of the counters that exist among ``keys``, locked."""
    found: dict[tuple[int, dt.date], tuple[int, int]] = {}
    agency_ids = sorted({a for a, _ in keys})
    days = sorted({d for _, d in keys})
    locked = DossierCodeSequence.objects.select_for_update().order_by("pk")
    for i in range(0, len(agency_ids), _CHUNK):
        rows = locked.filter(
            agency_id__in=agency_ids[i : i + _CHUNK], day__gte=days[0], day__lte=days[-1]
        ).values_list("pk", "agency_id", "day", "last")
        for pk, agency_id, day, last in rows:
            if (agency_id, day) in keys:
                found[(agency_id, day)] = (pk, last)
    return found


def _avoid_existing(
    codes: list[str],
    wanted: list[tuple[int, dt.date]],
    last: dict[tuple[int, dt.date], int],
    agency_codes: dict[int, str],
) -> list[str]:
    """Safety net: a code already in the database (written by hand, say) is skipped."""
    existing = set(codes_in_database(codes))
    if not existing:
        return codes
    result = []
    used = set(codes)
    for code, key in zip(codes, wanted, strict=True):
        while code in existing:
            last[key] += 1
            code = format_code(agency_code=agency_codes[key[0]], day=key[1], number=last[key])
            if code in used or Dossier.objects.filter(code=code).exists():
                existing.add(code)
        used.add(code)
        result.append(code)
    return result
