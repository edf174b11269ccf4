"""Request and response bodies of the dossier API (they make up the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

from motcua.core.cleaning import control_message
from motcua.core.validators import normalize_id_number, normalize_phone
from motcua.dossiers.choices import ApplicantKind, Channel, DeliveryChannel, RatingValue

ChannelIn = Literal["direct", "postal", "online"]
DeliveryIn = Literal["", "counter", "postal", "online"]
KindIn = Literal["person", "organisation"]
RatingIn = Literal["very_satisfied", "satisfied", "dissatisfied"]

assert set(ChannelIn.__args__) == set(Channel.values)
assert set(DeliveryIn.__args__) - {""} == set(DeliveryChannel.values)
assert set(KindIn.__args__) == set(ApplicantKind.values)
assert set(RatingIn.__args__) == set(RatingValue.values)


def _line(value: str) -> str:
    message = control_message(value)
    if message is not None:
        raise ValueError(message)
    return value


def _text(value: str) -> str:
    message = control_message(value, multiline=True)
    if message is not None:
        raise ValueError(message)
    return value


def _django(check: Any) -> Any:
    """A core.validators function as a pydantic validator ('' stays '')."""

    def validate(value: str) -> str:
        if not value:
            return value
        try:
            return check(value)
        except ValidationError as exc:
            raise ValueError("; ".join(exc.messages)) from None

    return validate


# Text of one line (names, codes, numbers): no control character at all.
Line = Annotated[str, AfterValidator(_line)]
# Text of several lines (notes, reasons, addresses): tab and line breaks allowed.
Text = Annotated[str, AfterValidator(_text)]
IdNumber = Annotated[Line, AfterValidator(_django(normalize_id_number))]
Phone = Annotated[Line, AfterValidator(_django(normalize_phone))]


class InSchema(Schema):
    """A request body: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, and where.")


class ApplicantIn(InSchema):
    applicant_name: Line = Field(
        min_length=1, max_length=255, description="Person or organisation."
    )
    applicant_kind: KindIn = "person"
    applicant_id_number: IdNumber = Field("", max_length=40, description="ID card or tax number.")
    applicant_phone: Phone = Field("", max_length=40)
    applicant_email: Line = Field("", max_length=254)
    applicant_address: Text = Field("", max_length=255)
    receiving_unit_code: Line | None = Field(
        None, description="Unit that receives it, when another than the handling agency."
    )
    delivery_channel: DeliveryIn = Field("", description="How the result will be handed over.")
    delivery_address: Text = Field("", max_length=255)
    documents_submitted: list[int] | None = Field(
        None, description="Ids of the required documents handed in (default: every mandatory one)."
    )
    note: Text = ""


class ReceptionIn(ApplicantIn):
    agency_code: Line = Field(description="Electronic identifier code of the handling agency.")
    procedure_code: Line = Field(description="National procedure code.")
    channel: ChannelIn = Field("direct", description="direct (counter), postal or online.")


class SubmissionIn(ApplicantIn):
    agency_code: Line = Field(description="Electronic identifier code of the handling agency.")
    procedure_code: Line = Field(description="National procedure code.")


class DossierOut(Schema):
    id: int
    code: str | None = Field(description="Null until received (online submission).")
    agency_code: str
    receiving_unit_code: str | None
    procedure_code: str
    procedure_name: str
    channel: str
    online_class: str
    state: str
    outcome: str = Field(description="Empty while open.")
    one_way: bool
    processing_time: Decimal | None
    time_unit: str
    applicant_kind: str
    applicant_name: str
    applicant_id_number: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    closed_at: dt.datetime | None
    paused_at: dt.datetime | None
    delivered_at: dt.datetime | None
    delivery_channel: str
    imported: bool
    deadline_status: str = Field(
        description="early, on_time, late (resolved); not_due, due_soon, overdue, paused (open); "
        "none."
    )
    remaining_seconds: int | None = Field(
        description="Working time left (negative when overdue), for open dossiers."
    )


class EventOut(Schema):
    seq: int
    type: str
    at: dt.datetime
    actor: str | None
    from_state: str
    to_state: str
    payload: dict[str, Any]


class DossierDetailOut(DossierOut):
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    delivery_address: str
    note: str
    events: list[EventOut]


class DossierPage(Schema):
    count: int = Field(description="Dossiers matching the filters.")
    limit: int
    offset: int
    items: list[DossierOut]


# -- action bodies ---------------------------------------------------------------------------


class NoteIn(InSchema):
    note: Text = ""


class ReasonIn(InSchema):
    reason: Text = Field(min_length=1, description="Why; written on the notice.")


class OptionalReasonIn(InSchema):
    reason: Text = ""


class StopIn(ReasonIn):
    notice_number: Line = ""


class AssignIn(InSchema):
    assignee: Line | None = Field(None, description="Username of the official; null unassigns.")
    step_id: int | None = Field(None, description="Internal process step.")
    note: Text = ""


class AdvanceIn(InSchema):
    step_id: int | None = Field(None, description="Next step (default: the following one).")
    assignee: Line | None = Field(None, description="Username of the official.")
    note: Text = ""


class TransferIn(InSchema):
    to_agency_code: Line = Field(description="Agency that continues the handling.")
    note: Text = ""


class ResolveIn(InSchema):
    result: Text = Field("", description="The decision, licence or answer issued.")


class DeliverIn(InSchema):
    delivery_channel: Literal["counter", "postal", "online"]
    postal_tracking: Line = ""
    delivery_address: Text = ""


class ApologizeIn(InSchema):
    new_due_at: dt.datetime = Field(description="The new appointment (form 04).")
    reason: Text = Field(min_length=1)


class RateIn(InSchema):
    value: RatingIn
    comment: Text = ""
