"""``motcua sync``: deliver the outbox to the other systems (integration.md §1).

motcua sync                      run until stopped (SIGTERM finishes the message in hand)
motcua sync --until-idle         deliver what is due, exit 0 (all sent) or 3 (some parked
                                 or waiting for a retry)
motcua sync national --resend --since 2025-10-01
                                 queue the state of every dossier changed since the date
                                 again, then deliver until idle
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.integrations.adapters import PEERS, adapter
from motcua.integrations.delivery import run
from motcua.integrations.resend import resend_national


class Command(BaseCommand):
    help = "Deliver queued messages to the national portal, the postal operator, SMS and e-mail."

    def add_arguments(self, parser):
        parser.add_argument("peer", nargs="?", choices=PEERS, help="only this peer")
        parser.add_argument("--until-idle", action="store_true", help="exit when nothing is due")
        parser.add_argument(
            "--resend", action="store_true", help="national: queue every changed dossier again"
        )
        parser.add_argument("--since", help="with --resend: local date YYYY-MM-DD")

    def handle(self, *args, peer=None, until_idle=False, resend=False, since=None, **options):
        peers = [peer] if peer else None
        if peer and not adapter(peer).enabled():
            raise CommandError(f"{peer}: not configured (see docs/integration settings)")
        if resend:
            if peer != "national":
                raise CommandError("--resend: only for 'national' (motcua sync national --resend)")
            if not since:
                raise CommandError("--resend needs --since YYYY-MM-DD")
            try:
                day = dt.date.fromisoformat(since)
            except ValueError:
                raise CommandError(f"--since: '{since}' is not a date YYYY-MM-DD") from None
            start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
            count = resend_national(since=start)
            self.stdout.write(f"queued {count} dossier(s) for the national portal")
            until_idle = True
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            signal.signal(signal.SIGINT, lambda *_: stop.set())
        code = run(until_idle=until_idle, peers=peers, stop=stop)
        if code:
            self.stderr.write("some messages are parked as failed or wait for a retry")
            sys.exit(code)
