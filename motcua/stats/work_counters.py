"""The receiving units' own work and the inter-agency hand-overs: counter definitions beside
those of :mod:`motcua.stats.counters` (never parts of "received"; identities 1–6 unchanged).
Assembled into a report by :mod:`motcua.stats.work`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import Count, F, Q

from motcua.dossiers.choices import Channel, DeliveryChannel
from motcua.dossiers.models import Dossier
from motcua.stats.counters import Counts
from motcua.stats.periods import Period

# --- The receiving units' own work and inter-agency hand-overs (Decree 118/2025) -------------
#
# Extra views beside the counters above, never parts of "received" (identities 1–6 unchanged).
# Definitions (docs/statistics-additions.md):
#
# * ``received_for_others.*``: dossiers *received* within the period by a unit for another
#   handling agency (``receiving_unit`` set and ≠ ``agency``), counted at the receiving unit,
#   split by reception channel. One-way dossiers are left out, as from every counter of §1.
# * ``delivered_for_others.*``: results of such dossiers handed over within the period
#   (``delivered_at``), counted at the receiving unit (the result is returned where the dossier
#   was received), split by delivery channel. One-way dossiers left out.
# * ``transferred.sent``: hand-overs (``Handover`` rows) *sent* within the period, counted at
#   the sending agency; ``transferred.sent_to_province_office`` the part sent to the provincial
#   People's Committee office (:func:`province_office_ids`); ``transferred.received``: hand-overs
#   *accepted* within the period, counted at the accepting agency. Each hand-over counts once
#   per side, so a unit's figures are the sums over its subtree (hand-overs inside the subtree
#   included; ``inter_agency`` of the report counts only those crossing its border).

FOR_OTHERS_COUNTERS: tuple[str, ...] = (
    "received_for_others.total",
    "received_for_others.by_channel.direct",
    "received_for_others.by_channel.online",
    "received_for_others.by_channel.postal",
    "delivered_for_others.total",
    "delivered_for_others.by_channel.counter",
    "delivered_for_others.by_channel.postal",
    "delivered_for_others.by_channel.online",
)
TRANSFER_COUNTERS: tuple[str, ...] = (
    "transferred.sent",
    "transferred.sent_to_province_office",
    "transferred.received",
)
WORK_COUNTERS: tuple[str, ...] = FOR_OTHERS_COUNTERS + TRANSFER_COUNTERS


def province_office_codes() -> list[str]:
    """The codes of ``MOTCUA_PROVINCE_OFFICE_CODE`` (comma-separated; empty: none set)."""
    from django.conf import settings

    raw = getattr(settings, "MOTCUA_PROVINCE_OFFICE_CODE", "")
    return [c.strip() for c in raw.split(",") if c.strip()]


def province_office_ids() -> set[int]:
    """The provincial People's Committee office(s) that hand-overs "to the province" go to.

    ``MOTCUA_PROVINCE_OFFICE_CODE`` (comma-separated codes) names them; unset, the rule is
    "the roots of the agency tree" (the provincial People's Committee, whose office receives
    what the province decides). A code that names no agency is an error, not an empty set."""
    from motcua.catalog.models import Agency
    from motcua.core.errors import MotcuaError

    codes = province_office_codes()
    if not codes:
        return set(Agency.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    found = dict(Agency.objects.filter(code__in=codes).values_list("code", "pk"))
    missing = [c for c in codes if c not in found]
    if missing:
        raise MotcuaError(f"MOTCUA_PROVINCE_OFFICE_CODE: no agency with code {', '.join(missing)}")
    return set(found.values())


def province_office_q(field: str) -> Q:
    """The condition "``field`` (an agency) is the province office", without a query: the
    agencies named by ``MOTCUA_PROVINCE_OFFICE_CODE``, else the roots of the tree (see
    :func:`province_office_ids`, which also checks that every code names an agency)."""
    codes = province_office_codes()
    if codes:
        return Q(**{f"{field}__code__in": codes})
    return Q(**{f"{field}__parent__isnull": True})


def work_counts_by_agency(*, agency_ids: Iterable[int] | None, period: Period) -> dict[int, Counts]:
    """:data:`WORK_COUNTERS` per agency (receiving unit, sender or acceptor), zeros left out."""
    from motcua.dossiers.models import Handover

    start, end = period.start_instant, period.end_instant
    ids = None if agency_ids is None else list(agency_ids)
    out: dict[int, Counts] = {}

    def add(agency_id: int, values: Mapping[str, int]) -> None:
        counts = out.setdefault(agency_id, dict.fromkeys(WORK_COUNTERS, 0))
        for key, value in values.items():
            counts[key] += value

    others = Dossier.objects.filter(one_way=False, receiving_unit__isnull=False).exclude(
        receiving_unit_id=F("agency_id")
    )
    if ids is not None:
        others = others.filter(receiving_unit_id__in=ids)
    received = Q(received_at__gte=start, received_at__lt=end)
    delivered = Q(delivered_at__gte=start, delivered_at__lt=end)
    aggregates = {"rt": Count("pk", filter=received), "dt": Count("pk", filter=delivered)}
    for ch in Channel.values:
        aggregates[f"r_{ch}"] = Count("pk", filter=received & Q(channel=ch))
    for ch in DeliveryChannel.values:
        aggregates[f"d_{ch}"] = Count("pk", filter=delivered & Q(delivery_channel=ch))
    rows = (
        others.filter(received | delivered)
        .order_by()
        .values("receiving_unit_id")
        .annotate(**aggregates)
    )
    for r in rows:
        values = {"received_for_others.total": r["rt"], "delivered_for_others.total": r["dt"]}
        values.update({f"received_for_others.by_channel.{c}": r[f"r_{c}"] for c in Channel.values})
        values.update(
            {f"delivered_for_others.by_channel.{c}": r[f"d_{c}"] for c in DeliveryChannel.values}
        )
        add(r["receiving_unit_id"], values)

    if province_office_codes():
        province_office_ids()  # a configured code that names no agency is an error
    # one grouped query over the hand-overs sent or accepted in the period, by (sender, receiver)
    sent_in = Q(sent_at__gte=start, sent_at__lt=end)
    accepted_in = Q(accepted_at__gte=start, accepted_at__lt=end)
    moves = Handover.objects.filter(sent_in | accepted_in)
    if ids is not None:
        moves = moves.filter(Q(from_agency_id__in=ids) | Q(to_agency_id__in=ids))
    rows = (
        moves.order_by()
        .values("from_agency_id", "to_agency_id")
        .annotate(
            sent=Count("pk", filter=sent_in),
            office=Count("pk", filter=sent_in & province_office_q("to_agency")),
            accepted=Count("pk", filter=accepted_in),
        )
    )
    wanted = None if ids is None else set(ids)
    for r in rows:
        if r["sent"] and (wanted is None or r["from_agency_id"] in wanted):
            add(
                r["from_agency_id"],
                {"transferred.sent": r["sent"], "transferred.sent_to_province_office": r["office"]},
            )
        if r["accepted"] and (wanted is None or r["to_agency_id"] in wanted):
            add(r["to_agency_id"], {"transferred.received": r["accepted"]})
    return out


def sum_work(parts: Iterable[Mapping[str, int]]) -> Counts:
    total = dict.fromkeys(WORK_COUNTERS, 0)
    for part in parts:
        for key in WORK_COUNTERS:
            total[key] += part.get(key, 0)
    return total
