"""The background worker's jobs of the stats app."""

from __future__ import annotations

from django_tasks import task

from motcua.stats.rounds.services import report_round_run


@task()
def make_report_round(round_id: int) -> str:
    """Make the monthly round asked for on the dashboard; returns its final status."""
    row = report_round_run(round_id=round_id)
    return row.status if row is not None else "missing"
