"""About two years of dossier history for the demo province, as interchange records.

`plan_history` draws every dossier of the period (seeded, reproducible) as a dict with the
columns of the Dossiers interchange file (interchange.md), plus a few private keys starting
with "_" that the demo uses afterwards (apologies, ratings, applicants) and strips before the
import. Times are planned against the working calendar, so that most dossiers are resolved
early or on time, some late (with or without an apology letter), and those still open today
are pending — some of them overdue, some awaiting a supplement.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from itertools import accumulate

from motcua.core.localtime import LOCAL_TZ
from motcua.demo import names
from motcua.demo.agencies_data import COMMUNES
from motcua.demo.build_catalog import DemoCatalog
from motcua.demo.catalog_data import PROCEDURES
from motcua.worktime.calendar import WorkCalendar

TZ = LOCAL_TZ  # the deployment's zone (core.localtime), not a fixed offset of our own
COMMUNE_NAMES = [name for _code, name in COMMUNES]
ONLINE_CLASSES_OPEN = {"level3", "level4", "partial", "full"}
# Counter reception at the Center was suspended for a week (online and post stay open).
CLOSURE_DAYS = 5


# Minutes of the day at which counters work (every five minutes of the two sessions).
WORK_MINUTES = [*range(7 * 60 + 40, 11 * 60 + 20, 5), *range(13 * 60 + 35, 16 * 60 + 50, 5)]


class WorkingDays:
    """The working days of a date range in a list, for constant-time day arithmetic."""

    def __init__(self, calendar: WorkCalendar, first: dt.date, last: dt.date) -> None:
        self.days: list[dt.date] = []
        self.rank: dict[dt.date, int] = {}  # any day -> rank of it or of the next working day
        day = first
        pending: list[dt.date] = []
        while day <= last:
            pending.append(day)
            if calendar.is_working_day(day):
                for waiting in pending:
                    self.rank[waiting] = len(self.days)
                pending = []
                self.days.append(day)
            day += dt.timedelta(days=1)

    def add(self, day: dt.date, n: int) -> dt.date:
        """As WorkCalendar.add_working_days, for n >= 0."""
        rank = self.rank[day]
        if n and self.days[rank] == day:
            return self.days[rank + n]
        return self.days[rank + max(n - 1, 0)] if n else self.days[rank]

    def between(self, start: dt.date, end: dt.date) -> int:
        return self.rank[end] - self.rank[start]


@dataclass
class PlanContext:
    catalog: DemoCatalog
    calendar: WorkCalendar
    now: dt.datetime
    first_day: dt.date
    rng: random.Random
    days: WorkingDays


def _working_instant(ctx: PlanContext, day: dt.date, earliest: dt.datetime | None = None):
    """A time during the working hours of `day` (after `earliest` when given), or None."""
    minutes = ctx.rng.choice(WORK_MINUTES)
    at = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=TZ)
    if earliest is not None and at <= earliest:
        at = earliest + dt.timedelta(minutes=ctx.rng.randint(5, 90))
        if at.date() != day:
            return None
    return at


def _close_at(ctx: PlanContext, day: dt.date, earliest: dt.datetime) -> dt.datetime:
    """A working time on `day` after `earliest`, else a few hours after `earliest`."""
    at = _working_instant(ctx, day, earliest)
    if at is None:
        at = _working_instant(ctx, _days_ahead(ctx, day, 1), earliest)
    return at or earliest + dt.timedelta(hours=ctx.rng.randint(1, 20))


def _days_ahead(ctx: PlanContext, day: dt.date, n: int) -> dt.date:
    return ctx.days.add(day, n)


def _iso(at: dt.datetime | None) -> str:
    return "" if at is None else at.isoformat(timespec="seconds")


def _received_day(ctx: PlanContext, span: int) -> dt.date:
    # Demand grows over the period: more dossiers in recent months.
    offset = int(span * (ctx.rng.random() ** 0.8))
    day = ctx.first_day + dt.timedelta(days=offset)
    return ctx.days.add(day, 0)


def plan_history(
    catalog: DemoCatalog,
    *,
    calendar: WorkCalendar,
    count: int,
    years: float,
    seed: int,
    now: dt.datetime,
) -> list[dict]:
    rng = random.Random(seed)
    today = now.astimezone(TZ).date()
    first_day = today - dt.timedelta(days=round(365 * years))
    days = WorkingDays(calendar, first_day - dt.timedelta(days=15), today + dt.timedelta(days=400))
    ctx = PlanContext(catalog, calendar, now, first_day, rng, days)
    closing = calendar.sessions.closing
    span = (today - first_day).days
    closure_start = calendar.add_working_days(first_day + dt.timedelta(days=span // 3), 0)
    closure_end = calendar.add_working_days(closure_start, CLOSURE_DAYS - 1)
    catalog.closure = (closure_start, closure_end)

    rows_by_code = {p.code: p for p in PROCEDURES}
    procedures = sorted(catalog.procedures, key=lambda p: p.code)
    cum_weights = list(accumulate(rows_by_code[p.code].weight for p in procedures))
    communes = catalog.communes
    center_code = catalog.center.code
    agency_codes = {a.pk: a.code for a in [*catalog.agencies.values(), *communes]}
    commune_names = {a.code: a.short_name for a in communes}

    records: list[dict] = []
    for proc in rng.choices(procedures, cum_weights=cum_weights, k=count):
        row = rows_by_code[proc.code]
        handlers = catalog.handlers[proc.pk]
        if row.agency == "commune":
            # Busy wards file more: a skewed choice among communes.
            agency_id = handlers[min(int(len(handlers) * rng.random() ** 1.6), len(handlers) - 1)]
        else:
            agency_id = handlers[0]
        agency_code = agency_codes[agency_id]
        day = _received_day(ctx, span)
        if day >= today:
            day = calendar.add_working_days(today - dt.timedelta(days=3), 0)
            if day >= today:
                continue
        progress = (day - first_day).days / max(span, 1)
        channel = _channel(rng, row, progress)
        receiving = ""
        if row.agency != "commune":
            receiving = center_code
            if channel == "direct" and closure_start <= day <= closure_end:
                channel = "online" if row.online != "none" else "postal"
        elif rng.random() < 0.06:
            receiving = agency_codes[rng.choice(handlers)]
            if receiving == agency_code:
                receiving = ""
        received_at = _working_instant(ctx, day)
        unit = {"d": "working_days", "h": "working_hours", "c": "calendar_days"}[row.unit]
        if row.time is None:
            due = None
        elif unit == "working_days":  # received in working hours: count from that day
            due = dt.datetime.combine(days.add(day, row.time), closing, tzinfo=calendar.tz)
        else:
            due = calendar.due_for_reception(received_at, row.time, unit)
        record = {
            "agency_code": agency_code,
            "receiving_unit_code": receiving,
            "procedure_code": proc.code,
            "channel": channel,
            "online_class": _legacy_class(row.online, day) if channel == "online" else "",
            "received_at": _iso(received_at),
            "_received": received_at,
            "_due": due,
            "_applicant": _applicant(rng, row, commune_names.get(receiving or agency_code)),
        }
        _plan_outcome(ctx, record, row, received_at, due, progress)
        records.append(record)
    _assign_codes(records)
    return records


def _channel(rng: random.Random, row, progress: float) -> str:
    online_share = 0.66 + 0.18 * progress  # online grows over the period
    if row.online != "none" and rng.random() < online_share:
        return "online"
    if row.postal and rng.random() < 0.3:
        return "postal"
    return "direct"


def _legacy_class(online: str, day: dt.date) -> str:
    return online if online in ONLINE_CLASSES_OPEN else "partial"


def _applicant(rng: random.Random, row, commune: str | None) -> dict:
    organisation = row.field in {"doanhnghiep", "dautu", "luuthong", "xuctien", "hoatchat", "dien"}
    organisation = organisation and rng.random() < 0.8
    return {
        "kind": "organisation" if organisation else "person",
        "name": names.business_name(rng) if organisation else names.person_name(rng),
        "id": names.tax_number(rng) if organisation else names.citizen_id(rng),
        "phone": names.phone(rng),
        "address": names.address(rng, commune or rng.choice(COMMUNE_NAMES)),
    }


def _plan_outcome(ctx, record, row, received_at, due, progress) -> None:
    rng, now = ctx.rng, ctx.now
    record.update(outcome="pending", closed_at="", delivered_at="", delivery_channel="")
    record.update(supplement_requested_at="", supplement_received_at="")
    if due is None:  # one-way: received and filed at once
        record.update(
            outcome="resolved",
            closed_at=_iso(received_at + dt.timedelta(minutes=rng.randint(3, 40))),
        )
        return
    day = received_at.date()
    due_day = due.astimezone(TZ).date()
    budget = max(ctx.days.between(day, due_day), 0)
    draw = rng.random()
    late_share = 0.09 - 0.06 * progress  # the province improves
    if draw < 0.03:
        record["outcome"] = "refused"
        closed = _close_at(ctx, _days_ahead(ctx, day, rng.randint(0, 2)), received_at)
    elif draw < 0.045:
        record["outcome"] = "withdrawn"
        closed = _close_at(ctx, _days_ahead(ctx, day, rng.randint(1, max(budget, 1))), received_at)
    elif draw < 0.055:
        # Asked for a supplement that never came: processing stopped.
        requested = _working_instant(
            ctx, _days_ahead(ctx, day, rng.randint(0, max(budget // 2, 0))), received_at
        )
        if requested is None:
            requested = received_at + dt.timedelta(minutes=30)
        if requested >= now:
            record["outcome"] = "pending"
            return
        record["supplement_requested_at"] = _iso(requested)
        record["outcome"] = "stopped"
        closed = _close_at(ctx, _days_ahead(ctx, requested.date(), rng.randint(20, 30)), requested)
    else:
        record["outcome"] = "resolved"
        shift = 0
        if draw < 0.135 and budget >= 2:  # one supplement wait, then resumed
            requested = _working_instant(
                ctx, _days_ahead(ctx, day, rng.randint(1, budget // 2 + 1))
            )
            shift = rng.randint(2, 12)
            back = _working_instant(ctx, _days_ahead(ctx, requested.date(), shift))
            if requested >= now:
                record["outcome"] = "pending"
                return
            record["supplement_requested_at"] = _iso(requested)
            record["supplement_received_at"] = _iso(back) if back < now else ""
            if back >= now:
                record.update(outcome="pending")
                return
        target = rng.random()
        if target < late_share:
            close_day = _days_ahead(ctx, due_day, shift + rng.randint(1, 12))
            record["_late"] = True
            record["_apology"] = rng.random() < 0.62
        elif target < late_share + 0.3 or budget == 0:
            close_day = _days_ahead(ctx, due_day, shift)
        else:
            close_day = _days_ahead(ctx, day, shift + rng.randint(0, max(budget - 1, 0)))
        earliest = received_at
        if record["supplement_received_at"]:
            earliest = max(earliest, dt.datetime.fromisoformat(record["supplement_received_at"]))
        closed = _close_at(ctx, close_day, earliest)
    if closed >= now:
        record["outcome"] = "pending"
        record.pop("_late", None)
        record.pop("_apology", None)
        return
    record["closed_at"] = _iso(closed)
    record["_closed"] = closed
    if record["outcome"] == "resolved" and rng.random() < 0.96:
        delivered = _working_instant(
            ctx, _days_ahead(ctx, closed.date(), rng.randint(0, 4)), closed
        )
        if delivered is not None and delivered < now:
            record["delivered_at"] = _iso(delivered)
            record["delivery_channel"] = _delivery(rng, record["channel"], row.postal)


def _delivery(rng: random.Random, channel: str, postal: bool) -> str:
    if channel == "postal":
        return "postal"
    draw = rng.random()
    if channel == "online":
        return "online" if draw < 0.55 else "postal" if postal and draw < 0.75 else "counter"
    return "postal" if postal and draw < 0.08 else "counter"


def _assign_codes(records: list[dict]) -> None:
    """Standard codes: receiving unit, reception date yymmdd, a 4-digit number per unit and day."""
    records.sort(key=lambda r: r["_received"])
    counters: dict[tuple[str, str], int] = {}
    for record in records:
        unit = record["receiving_unit_code"] or record["agency_code"]
        day = record["_received"].strftime("%y%m%d")
        number = counters.get((unit, day), 0) + 1
        counters[(unit, day)] = number
        record["code"] = f"{unit}-{day}-{number:04d}"
