"""The background worker's job: the same delivery loop, until nothing is due."""

from __future__ import annotations

from django_tasks import task

from motcua.integrations.delivery import run


@task()
def deliver_outbox() -> int:
    """Deliver every due message; 0 when all are sent, 3 when some are parked or waiting."""
    return run(until_idle=True)
