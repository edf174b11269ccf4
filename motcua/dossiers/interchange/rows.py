"""Reading and checking the rows of a dossier file (interchange.md, "Dossiers").

Every row is checked against the catalogue loaded once into dicts; every problem becomes a
`RowError` with the row number and the column, and nothing is written until all rows pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from motcua.catalog.choices import OnlineClass
from motcua.catalog.models import Agency, Procedure, ProcedureAssignment
from motcua.core.csvio import RowReader
from motcua.core.errors import RowError
from motcua.dossiers.choices import Channel, DeliveryChannel

REQUIRED = {"agency_code", "procedure_code", "channel", "received_at", "outcome"}
OPTIONAL = {
    "code",
    "receiving_unit_code",
    "online_class",
    "due_at",
    "closed_at",
    "supplement_requested_at",
    "supplement_received_at",
    "delivered_at",
    "delivery_channel",
}
# The export writes the columns in this order.
COLUMNS = [
    "code",
    "agency_code",
    "receiving_unit_code",
    "procedure_code",
    "channel",
    "online_class",
    "received_at",
    "due_at",
    "outcome",
    "closed_at",
    "supplement_requested_at",
    "supplement_received_at",
    "delivered_at",
    "delivery_channel",
]
OUTCOMES = ("pending", "resolved", "refused", "withdrawn", "stopped")
# Plain tuples: TextChoices.values builds a new list on every access, and rows are many.
CHANNELS = tuple(Channel.values)
DELIVERY_CHANNELS = tuple(DeliveryChannel.values)
ONLINE_CLASSES = [c for c in OnlineClass.values if c != OnlineClass.NONE]


@dataclass(frozen=True)
class ProcedureInfo:
    id: int
    one_way: bool
    processing_time: Decimal | None
    time_unit: str
    online_class: str


@dataclass
class Catalogue:
    """The agencies, procedures and assignments an import needs, loaded in three queries."""

    agencies: dict[str, int]
    agency_codes: dict[int, str]
    procedures: dict[str, ProcedureInfo]
    assignments: dict[tuple[int, int], tuple[Decimal | None, str]]

    @classmethod
    def load(cls) -> Catalogue:
        agencies = dict(Agency.objects.values_list("code", "id"))
        procedures = {
            code: ProcedureInfo(pk, one_way, time, unit, online)
            for pk, code, one_way, time, unit, online in Procedure.objects.values_list(
                "id", "code", "one_way", "processing_time", "time_unit", "online_class"
            )
        }
        assignments = {
            (proc, agency): (time, online)
            for proc, agency, time, online in ProcedureAssignment.objects.values_list(
                "procedure_id", "agency_id", "processing_time", "online_class"
            )
        }
        return cls(agencies, {v: k for k, v in agencies.items()}, procedures, assignments)

    def terms(self, procedure: ProcedureInfo, agency_id: int) -> tuple[Decimal | None, str]:
        """Processing time and online class of a procedure at an agency."""
        time, online = self.assignments.get((procedure.id, agency_id), (None, ""))
        return (
            time if time is not None else procedure.processing_time,
            online or procedure.online_class,
        )


@dataclass
class ParsedRow:
    """One valid row, ready to become a dossier."""

    line: int
    raw: dict[str, str]
    code: str
    agency_id: int
    receiving_unit_id: int | None
    procedure: ProcedureInfo
    channel: str
    online_class: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    outcome: str  # as in the file: pending, resolved, refused, withdrawn, stopped
    closed_at: dt.datetime | None
    supplement_requested_at: dt.datetime | None
    supplement_received_at: dt.datetime | None
    delivered_at: dt.datetime | None
    delivery_channel: str
    processing_time: Decimal | None
    time_unit: str
    extra: dict = field(default_factory=dict)


def parse_row(
    line: int, row: dict[str, str], catalogue: Catalogue
) -> tuple[ParsedRow | None, list]:
    """Checks one row; returns the parsed row (None when invalid) and its errors."""
    r = RowReader(line, row)
    code = r.text("code", max_length=64)
    agency_id = _agency(r, catalogue, "agency_code", required=True)
    receiving_unit_id = _agency(r, catalogue, "receiving_unit_code", required=False)
    procedure_code = r.text("procedure_code", required=True)
    procedure = catalogue.procedures.get(procedure_code) if procedure_code else None
    if procedure_code and procedure is None:
        r.error("procedure_code", f"unknown procedure '{procedure_code}'")
    channel = r.choice("channel", CHANNELS, required=True)
    received_at = r.datetime("received_at", required=True)
    due_at = r.datetime("due_at")
    outcome = r.choice("outcome", OUTCOMES, required=True)
    closed_at = r.datetime("closed_at")
    requested = r.datetime("supplement_requested_at")
    resumed = r.datetime("supplement_received_at")
    delivered_at = r.datetime("delivered_at")
    delivery_channel = r.choice("delivery_channel", DELIVERY_CHANNELS, default="") or ""

    online_class = row.get("online_class", "")
    if online_class:
        if channel and channel != Channel.ONLINE and online_class != OnlineClass.NONE:
            r.error("online_class", "only online dossiers have an online class")
        elif channel == Channel.ONLINE and online_class not in ONLINE_CLASSES:
            r.error(
                "online_class",
                f"'{online_class}' is not one of: " + ", ".join(ONLINE_CLASSES),
            )

    if outcome == "pending" and closed_at is not None:
        r.error("closed_at", "a pending dossier has no closing time; leave it empty")
    if outcome and outcome != "pending" and closed_at is None and not row.get("closed_at"):
        r.error("closed_at", f"required when the outcome is '{outcome}'")
    if received_at and closed_at and closed_at < received_at:
        r.error("closed_at", "before received_at")
    if received_at and due_at and due_at < received_at:
        r.error("due_at", "before received_at")
    if delivered_at is not None:
        if outcome and outcome != "resolved":
            r.error("delivered_at", "only a resolved dossier has its result delivered")
        elif closed_at and delivered_at < closed_at:
            r.error("delivered_at", "before closed_at")
    if resumed is not None and requested is None and not row.get("supplement_requested_at"):
        r.error("supplement_received_at", "given without supplement_requested_at")
    for column, value in (
        ("supplement_requested_at", requested),
        ("supplement_received_at", resumed),
    ):
        if value is None:
            continue
        if received_at and value < received_at:
            r.error(column, "before received_at")
        if closed_at and value > closed_at:
            r.error(column, "after closed_at")
    if requested and resumed and resumed < requested:
        r.error("supplement_received_at", "before supplement_requested_at")
    if procedure is not None and procedure.one_way and requested is not None:
        r.error("supplement_requested_at", "a one-way procedure has no supplement wait")

    if r.errors:
        return None, r.errors
    assert agency_id is not None and procedure is not None and received_at is not None
    time, default_class = catalogue.terms(procedure, agency_id)
    if channel == Channel.ONLINE:
        online_class = online_class or default_class or OnlineClass.NONE
    else:
        online_class = OnlineClass.NONE
    if not procedure.one_way and time is None:
        return None, [RowError(line, "procedure_code", "the procedure has no processing time")]
    return (
        ParsedRow(
            line=line,
            raw=row,
            code=code,
            agency_id=agency_id,
            receiving_unit_id=receiving_unit_id,
            procedure=procedure,
            channel=channel or "",
            online_class=online_class,
            received_at=received_at,
            due_at=due_at,
            outcome=outcome or "",
            closed_at=closed_at,
            supplement_requested_at=requested,
            supplement_received_at=resumed,
            delivered_at=delivered_at,
            delivery_channel=delivery_channel,
            processing_time=time,
            time_unit=procedure.time_unit,
        ),
        [],
    )


def _agency(r: RowReader, catalogue: Catalogue, column: str, *, required: bool) -> int | None:
    code = r.text(column, required=required)
    if not code:
        return None
    agency_id = catalogue.agencies.get(code)
    if agency_id is None:
        r.error(column, f"unknown agency '{code}'")
    return agency_id
