"""``motcua idempotency_purge``: forget Idempotency-Key answers older than the kept window."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.core.idempotency import purge_idempotency_keys


class Command(BaseCommand):
    help = "Delete stored Idempotency-Key answers older than MOTCUA_IDEMPOTENCY_KEEP_HOURS."

    def handle(self, *args, **options) -> None:
        count = purge_idempotency_keys()
        self.stdout.write(
            f"{count} idempotency key(s) older than "
            f"{settings.MOTCUA_IDEMPOTENCY_KEEP_HOURS} h deleted"
        )
