"""The common case of ``rows.parse_row`` without its bookkeeping: valid rows, checked fast.

``parse_rows`` tries each row here first: the same checks in straight-line code, with the
catalogue's look-ups in plain dicts and sets. A row that fails any check, or that this path
does not handle, goes through ``parse_row``, which produces the errors (or the row, for the
rare valid forms this path leaves to it): results and messages are those of ``parse_row``.
"""

from __future__ import annotations

from motcua.catalog.choices import OnlineClass
from motcua.core.csvio import parse_instant
from motcua.core.errors import RowError
from motcua.dossiers.interchange.rows import (
    CHANNELS,
    DELIVERY_CHANNELS,
    ONLINE_CLASSES,
    OUTCOMES,
    Catalogue,
    ParsedRow,
    parse_row,
)

_ONLINE = "online"
_NONE = str(OnlineClass.NONE.value)
assert _ONLINE in CHANNELS


def parse_rows(
    rows: list[tuple[int, dict[str, str]]], catalogue: Catalogue
) -> tuple[list[ParsedRow], list[RowError]]:
    """The valid rows parsed, and the errors of the others (as ``parse_row`` reports them)."""
    fast = _FastRows(catalogue)
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    for line, row in rows:
        result = fast.parse(line, row)
        if result is None:
            result, row_errors = parse_row(line, row, catalogue)
            errors.extend(row_errors)
        if result is not None:
            parsed.append(result)
    return parsed, errors


class _FastRows:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.agencies = catalogue.agencies
        self.procedures = catalogue.procedures
        self.channels = frozenset(CHANNELS)
        self.outcomes = frozenset(OUTCOMES)
        self.delivery_channels = frozenset(DELIVERY_CHANNELS)
        self.online_classes = frozenset(ONLINE_CLASSES)
        self.terms: dict[tuple[int, int], tuple] = {}

    def parse(self, line: int, row: dict[str, str]) -> ParsedRow | None:  # noqa: C901
        """The row when every check passes here; None to let ``parse_row`` decide."""
        get = row.get
        code = get("code", "")
        if len(code) > 64:
            return None
        agency_id = self.agencies.get(get("agency_code", ""))
        if agency_id is None:
            return None
        unit_code = get("receiving_unit_code", "")
        receiving_unit_id = None
        if unit_code:
            receiving_unit_id = self.agencies.get(unit_code)
            if receiving_unit_id is None:
                return None
        procedure = self.procedures.get(get("procedure_code", ""))
        if procedure is None:
            return None
        channel = get("channel", "")
        outcome = get("outcome", "")
        delivery_channel = get("delivery_channel", "")
        if (
            channel not in self.channels
            or outcome not in self.outcomes
            or (delivery_channel and delivery_channel not in self.delivery_channels)
        ):
            return None
        try:
            received_at = parse_instant(get("received_at", "") or "-")
            cell = get("due_at", "")
            due_at = parse_instant(cell) if cell else None
            cell = get("closed_at", "")
            closed_at = parse_instant(cell) if cell else None
            cell = get("supplement_requested_at", "")
            requested = parse_instant(cell) if cell else None
            cell = get("supplement_received_at", "")
            resumed = parse_instant(cell) if cell else None
            cell = get("delivered_at", "")
            delivered_at = parse_instant(cell) if cell else None
        except (ValueError, TypeError):
            return None

        online_class = get("online_class", "")
        if online_class and (
            (channel != _ONLINE and online_class != _NONE)
            or (channel == _ONLINE and online_class not in self.online_classes)
        ):
            return None
        if outcome == "pending":
            if closed_at is not None:
                return None
        elif closed_at is None or closed_at < received_at:
            return None
        if due_at is not None and due_at < received_at:
            return None
        if delivered_at is not None and (outcome != "resolved" or delivered_at < closed_at):  # type: ignore[operator]
            return None
        if resumed is not None and requested is None:
            return None
        for value in (requested, resumed):
            if value is not None and (
                value < received_at or (closed_at is not None and value > closed_at)
            ):
                return None
        if requested is not None and (
            procedure.one_way or (resumed is not None and resumed < requested)
        ):
            return None

        key = (procedure.id, agency_id)
        terms = self.terms.get(key)
        if terms is None:
            terms = self.terms[key] = self.catalogue.terms(procedure, agency_id)
        time, default_class = terms
        if not procedure.one_way and time is None:
            return None
        online_class = (online_class or default_class or _NONE) if channel == _ONLINE else _NONE
        return ParsedRow(
            line=line,
            raw=row,
            code=code,
            agency_id=agency_id,
            receiving_unit_id=receiving_unit_id,
            procedure=procedure,
            channel=channel,
            online_class=online_class,
            received_at=received_at,
            due_at=due_at,
            outcome=outcome,
            closed_at=closed_at,
            supplement_requested_at=requested,
            supplement_received_at=resumed,
            delivered_at=delivered_at,
            delivery_channel=delivery_channel,
            processing_time=time,
            time_unit=procedure.time_unit,
        )
