"""A limit on failed dossier look-ups on the citizen portal, per client address.

A look-up names a dossier code and the applicant's ID number; without a limit, someone who knows
a code (it is printed on the receipt and in the QR link) could try ID numbers until one matches
and read the applicant's personal data. So every look-up that matches no dossier (on the look-up
page and on the rating form) adds one to a counter of the client address for the current window
of ``MOTCUA_PORTAL_WINDOW_SECONDS``; once it reaches ``MOTCUA_PORTAL_MAX_FAILURES``, the portal
refuses further look-ups from that address (HTTP 429) until the window ends, without showing any
dossier. Successful look-ups do not count. (Without a replica the look-up's statement itself
returns no dossier to a blocked address, portal/selectors.dossier_for_applicant; a miss then
reads the counter, answers 429 or counts it.)

Windows are fixed, aligned on multiples of the window length since the Unix epoch: simple to
count and to explain ("try again in 7 minutes"). An address can therefore fail at most
2 * MAX_FAILURES times in any span of one window length (the end of one window and the start of
the next), and MAX_FAILURES per window on average.

The counters live in the database (``LookupFailure``, one row per address and window) so every
gunicorn worker sees the same count, on SQLite and PostgreSQL alike. The increment is one
``UPDATE ... SET count = count + 1``; when the row does not exist yet, it is created in a
savepoint, and if another worker created it first (unique constraint) the update runs again —
the same pattern as motcua.dossiers.codes. Pruning is done on write: whenever a window's row is
created, rows of finished windows (every address) are deleted, so the table holds little more than
the addresses that failed in the current window; no periodic job is needed.

The client address is ``REMOTE_ADDR`` only; ``X-Forwarded-For`` is not read (a client can write
anything there). Behind a reverse proxy or load balancer the deployment must make REMOTE_ADDR the
citizen's address, e.g. a balancer speaking the PROXY protocol to gunicorn started with
``--proxy-protocol --proxy-allow-from <balancer>``; otherwise every citizen shares the proxy's
address and one guesser blocks them all.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from motcua.portal.models import LookupFailure

ADDRESS_MAX_LENGTH = LookupFailure._meta.get_field("address").max_length


def client_address(request: HttpRequest) -> str:
    """The address a look-up is counted against: the connection's (REMOTE_ADDR)."""
    return (request.META.get("REMOTE_ADDR") or "").strip()[:ADDRESS_MAX_LENGTH]


def _window_seconds() -> int:
    return max(1, int(settings.MOTCUA_PORTAL_WINDOW_SECONDS))


def window_start(*, at: dt.datetime) -> dt.datetime:
    """The start of the fixed window that contains ``at`` (UTC, aligned on the epoch)."""
    seconds = _window_seconds()
    stamp = math.floor(at.timestamp() / seconds) * seconds
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


# --- selectors (read) ---------------------------------------------------------------------


def lookup_failures(*, address: str, at: dt.datetime | None = None) -> int:
    """Failed look-ups from ``address`` in the window containing ``at`` (now by default)."""
    at = at or timezone.now()
    row = (
        LookupFailure.objects.filter(address=address, window_start=window_start(at=at))
        .values_list("count", flat=True)
        .first()
    )
    return row or 0


def lookup_blocked_for(*, address: str, at: dt.datetime | None = None) -> int:
    """Seconds (rounded up) that ``address`` must wait before looking up again; 0 when it may."""
    at = at or timezone.now()
    if lookup_failures(address=address, at=at) < settings.MOTCUA_PORTAL_MAX_FAILURES:
        return 0
    ends = window_start(at=at) + dt.timedelta(seconds=_window_seconds())
    return max(1, math.ceil((ends - at).total_seconds()))


# --- services (write) ---------------------------------------------------------------------


def lookup_failure_record(*, address: str, at: dt.datetime | None = None) -> None:
    """Count one failed look-up from ``address`` in the window containing ``at``."""
    start = window_start(at=at or timezone.now())
    if _increment(address=address, start=start):
        return
    try:
        # A savepoint: when another worker created the row first, only this insert is undone.
        with transaction.atomic():
            LookupFailure.objects.create(address=address, window_start=start, count=1)
    except IntegrityError:
        if not _increment(address=address, start=start):  # pragma: no cover - row just existed
            raise
    else:
        # Prune on write: once per address and window, drop the rows of finished windows.
        LookupFailure.objects.filter(window_start__lt=start).delete()


def _increment(*, address: str, start: dt.datetime) -> bool:
    """Add one to the row of (address, window) atomically; False when there is no row yet."""
    updated = LookupFailure.objects.filter(address=address, window_start=start).update(
        count=F("count") + 1
    )
    return updated > 0
