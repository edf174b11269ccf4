"""The deployment's local time zone: the one place it is named.

Legal deadlines, reporting periods (statistics.md: local dates), dossier codes (the local day of
reception) and CSV times without an offset are all read in this zone. ``settings.TIME_ZONE`` is
set from it, so Django's current time zone and these constants cannot disagree. Pure Python (no
Django), so that ``worktime.calendar`` and the settings module can import it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ_NAME = "Asia/Ho_Chi_Minh"
LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of a local calendar day (local midnight)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TZ)


# The zone has been at +07:00, with no daylight saving, since its last change (13 June 1975,
# 00:00 local, from +08:00); an instant from then on is converted with a fixed offset, which
# costs about half of ZoneInfo's look-up. Earlier instants, naive values and any other case take
# ZoneInfo's path. tests/core/test_localtime_iso.py proves the two equal for any datetime.
_FIXED_SINCE = dt.datetime(1975, 6, 12, 16, tzinfo=dt.UTC)
_FIXED = dt.timezone(_FIXED_SINCE.astimezone(LOCAL_TZ).utcoffset())  # the zone's own offset


def local_isoformat(value: dt.datetime | None) -> str | None:
    """``value.astimezone(LOCAL_TZ).isoformat()`` (None for None): an instant as the reports
    print it (statistics.md §5)."""
    if value is None:
        return None
    try:
        fixed = value >= _FIXED_SINCE
    except TypeError:  # naive: compared with an aware instant
        fixed = False
    return (value.astimezone(_FIXED) if fixed else value.astimezone(LOCAL_TZ)).isoformat()
