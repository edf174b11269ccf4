"""A slow reference for the counters, written straight from statistics.md §1 in plain Python,
dossier by dossier. It shares no code with motcua.stats.counters: the tests compare the two."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from motcua.catalog.models import Procedure
from motcua.core.localtime import LOCAL_TZ as VN
from motcua.dossiers.models import Apology, Dossier, Rating, SupplementWait


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=VN)


def load():
    """Every dossier, wait and rating as plain tuples/objects (read once per example)."""
    dossiers = list(Dossier.objects.all())
    waits = defaultdict(list)
    for w in SupplementWait.objects.all():
        waits[w.dossier_id].append(w)
    ratings = list(Rating.objects.all())
    return dossiers, waits, ratings


def _pending_at(d, mine, t1) -> tuple[bool, bool]:
    """A dossier pending at ``t1``: (its clock stopped for a supplement, overdue)."""
    stopped = [
        w for w in mine if w.requested_at < t1 and (w.received_at is None or w.received_at >= t1)
    ]
    if stopped:
        return True, any(
            w.due_before is not None and w.due_before < w.requested_at for w in stopped
        )
    later = sorted((w for w in mine if w.requested_at >= t1), key=lambda w: (w.requested_at, w.pk))
    due = later[0].due_before if later and later[0].due_before is not None else d.due_at
    return False, due is not None and due < t1


def reference_counts(data, agency_ids: set[int], start: dt.date, end: dt.date) -> dict[str, int]:
    dossiers, waits, ratings = data
    t0, t1 = _midnight(start), _midnight(end + dt.timedelta(days=1))
    c: dict[str, int] = defaultdict(int)

    def within(t):
        return t is not None and t0 <= t < t1

    def closed_before(d, t):
        return d.closed_at is not None and d.closed_at < t

    for d in dossiers:
        if d.agency_id not in agency_ids or d.received_at is None:
            continue
        if d.one_way:
            if within(d.received_at):
                c["one_way.total"] += 1
                c["one_way.online"] += d.channel == "online"
            continue
        if d.received_at < t0 and not closed_before(d, t0):
            c["received.carried_over"] += 1
        if within(d.received_at):
            c["received.new"] += 1
            c[f"received.by_channel.{d.channel}"] += 1
            if d.channel == "online" and d.online_class in ("level3", "level4", "partial", "full"):
                c[f"received.online_by_class.{d.online_class}"] += 1
        if within(d.closed_at):
            if d.outcome == "resolved":
                c["resolved.total"] += 1
                closed_day = d.closed_at.astimezone(VN).date()
                due_day = d.due_at.astimezone(VN).date() if d.due_at else closed_day
                if closed_day < due_day:
                    c["resolved.early"] += 1
                elif closed_day == due_day:
                    c["resolved.on_time"] += 1
                else:
                    c["resolved.late"] += 1
            else:
                c[d.outcome] += 1
        if d.received_at < t1 and not closed_before(d, t1):
            c["pending.total"] += 1
            stopped, late = _pending_at(d, waits.get(d.pk, []), t1)
            c["pending.awaiting_supplement"] += stopped
            c["pending.overdue" if late else "pending.not_due"] += 1
        if within(d.delivered_at):
            c["delivered.total"] += 1
            c["delivered.postal"] += d.delivery_channel == "postal"
    for r in ratings:
        if r.agency_id in agency_ids and within(r.at):
            c[f"ratings.{r.value}"] += 1
    c["received.total"] = c["received.carried_over"] + c["received.new"]
    c["due"] = c["resolved.total"] + c["pending.overdue"]
    return dict(c)


def _iso(t):
    return None if t is None else t.astimezone(VN).isoformat()


def reference_late_list(
    data, agency_ids: set[int], start: dt.date, end: dt.date, cap: int | None = None
) -> list[dict]:
    """§4's late list of the unit, straight from §1: every dossier resolved late in the period
    or overdue at its end, in reception order, with its last apology issued before the end;
    with ``cap``, only the ``cap`` most late (earliest due date, then id; none last)."""
    dossiers, waits, _ = data
    t0, t1 = _midnight(start), _midnight(end + dt.timedelta(days=1))
    procedures = {p.pk: p for p in Procedure.objects.all()}
    apologies = defaultdict(list)
    for a in Apology.objects.all():
        apologies[a.dossier_id].append(a)
    rows = []
    for d in dossiers:
        if d.agency_id not in agency_ids or d.received_at is None or d.one_way:
            continue
        closed = d.closed_at is not None and d.closed_at < t1
        if closed and d.closed_at >= t0 and d.outcome == "resolved" and d.due_at is not None:
            late = d.closed_at.astimezone(VN).date() > d.due_at.astimezone(VN).date()
        elif d.received_at < t1 and not closed:
            late = _pending_at(d, waits.get(d.pk, []), t1)[1]
        else:
            late = False
        if late:
            rows.append(d)
    if cap is not None:
        rows = sorted(rows, key=lambda d: (d.due_at is None, d.due_at or t0, d.pk))[:cap]
    out = []
    for d in sorted(rows, key=lambda d: (d.received_at, d.pk)):
        closed = d.closed_at is not None and d.closed_at < t1
        issued = [a for a in apologies[d.pk] if a.issued_at < t1]
        ap = max(issued, key=lambda a: (a.issued_at, a.pk)) if issued else None
        p = procedures[d.procedure_id]
        out.append(
            {
                "code": d.code or "",
                "procedure_code": p.code,
                "procedure_name": p.name,
                "received_at": _iso(d.received_at),
                "due_at": _iso(d.due_at),
                "closed_at": _iso(d.closed_at) if closed else None,
                "status": "late" if closed else "overdue",
                "apology": ap is not None,
                "apology_issued_at": _iso(ap.issued_at) if ap else None,
                "apology_new_due_at": _iso(ap.new_due_at) if ap else None,
                "apology_issued_late": bool(ap and ap.issued_late),
                "apology_reason": (ap.reason if ap else "") or "",
                "note": d.note,
            }
        )
    return out
