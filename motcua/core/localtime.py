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
