"""Writes of the monthly round asked for on the dashboard: the request and the worker's run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.selectors import user_agency_ids
from motcua.catalog.models import Agency
from motcua.core.errors import MotcuaError, PermissionDenied
from motcua.stats.models import ReportRound
from motcua.stats.periods import Period, date_range, parse_period
from motcua.stats.rounds.writer import UnitDone, round_units, write_round


def rounds_root() -> Path:
    """Where the dashboard's rounds are written: one folder per unit under the media root."""
    return Path(settings.MEDIA_ROOT) / "report-rounds"


def round_period(row: ReportRound) -> Period:
    """The period a round was asked for."""
    if row.period_label:
        return parse_period(row.period_label, cutoff=row.period_cutoff)
    return date_range(row.period_start, row.period_end)


def round_zip_path(row: ReportRound) -> Path | None:
    """The ZIP of a finished round (None while it runs, after a failure, or once removed)."""
    if row.status != ReportRound.Status.DONE or not row.zip_name:
        return None
    path = rounds_root() / row.unit.code / row.zip_name
    return path if path.is_file() else None


@transaction.atomic
def report_round_request(*, user: Any, unit: Agency, period: Period) -> ReportRound:
    """Ask the background worker for the round of ``unit`` (and every agency below it).

    The user must be one who may see ``unit``. A round of the same unit and period that is
    still waiting or running is returned instead of a second one."""
    allowed = user_agency_ids(user=user)
    if allowed is not None and unit.pk not in allowed:
        raise PermissionDenied(_("You may not see reports of %(unit)s.") % {"unit": unit.code})
    # one request at a time per unit: the unit's row is the lock
    Agency.objects.select_for_update().filter(pk=unit.pk).first()
    running = (
        ReportRound.objects.filter(
            unit=unit,
            period_start=period.start,
            period_end=period.end,
            status__in=[ReportRound.Status.QUEUED, ReportRound.Status.RUNNING],
        )
        .order_by("-requested_at")
        .first()
    )
    if running is not None:
        return running
    row = ReportRound.objects.create(
        unit=unit,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        period_cutoff=period.cutoff,
        requested_by=user,
        total=len(round_units(unit)),
    )
    from motcua.stats.tasks import make_report_round

    transaction.on_commit(lambda: make_report_round.enqueue(row.pk))
    return row


def report_round_run(*, round_id: int) -> ReportRound:
    """Make a requested round (the worker's job): progress saved after each unit, then the ZIP's
    name, or the error. A round already done or running elsewhere is left alone."""
    with transaction.atomic():
        row = (
            ReportRound.objects.select_for_update()
            .select_related("unit")
            .filter(pk=round_id)
            .first()
        )
        if row is None or row.status != ReportRound.Status.QUEUED:
            return row
        row.status = ReportRound.Status.RUNNING
        row.save(update_fields=["status"])
    done = ReportRound.objects.filter(pk=row.pk)

    def progress(step: UnitDone) -> None:
        row.done, row.total = step.index, step.total
        row.written += int(step.written)
        done.update(done=row.done, total=row.total, written=row.written)

    failure: Exception | None = None
    try:
        result = write_round(
            root=row.unit,
            period=round_period(row),
            output=rounds_root() / row.unit.code,
            progress=progress,
            jobs=getattr(settings, "MOTCUA_REPORT_ROUND_JOBS", 1),
        )
    except Exception as exc:  # recorded for the dashboard; anything unexpected re-raised
        row.status, row.error, failure = ReportRound.Status.FAILED, str(exc), exc
    else:
        row.status, row.zip_name = ReportRound.Status.DONE, result.zip_path.name
    row.finished_at = timezone.now()
    row.save(
        update_fields=["status", "error", "zip_name", "finished_at", "done", "total", "written"]
    )
    if failure is not None and not isinstance(failure, MotcuaError):
        raise failure
    return row
