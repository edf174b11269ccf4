"""Request and response bodies of the dossier API (they make up the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from motcua.dossiers.choices import ApplicantKind, Channel, DeliveryChannel, RatingValue

ChannelIn = Literal["direct", "postal", "online"]
DeliveryIn = Literal["", "counter", "postal", "online"]
KindIn = Literal["person", "organisation"]
RatingIn = Literal["very_satisfied", "satisfied", "dissatisfied"]

assert set(ChannelIn.__args__) == set(Channel.values)
assert set(DeliveryIn.__args__) - {""} == set(DeliveryChannel.values)
assert set(KindIn.__args__) == set(ApplicantKind.values)
assert set(RatingIn.__args__) == set(RatingValue.values)


class InSchema(Schema):
    """A request body: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, and where.")


class ApplicantIn(InSchema):
    applicant_name: str = Field(min_length=1, max_length=255, description="Person or organisation.")
    applicant_kind: KindIn = "person"
    applicant_id_number: str = Field("", max_length=40, description="ID card or tax number.")
    applicant_phone: str = Field("", max_length=40)
    applicant_email: str = Field("", max_length=254)
    applicant_address: str = Field("", max_length=255)
    receiving_unit_code: str | None = Field(
        None, description="Unit that receives it, when another than the handling agency."
    )
    delivery_channel: DeliveryIn = Field("", description="How the result will be handed over.")
    delivery_address: str = Field("", max_length=255)
    documents_submitted: list[int] | None = Field(
        None, description="Ids of the required documents handed in (default: every mandatory one)."
    )
    note: str = ""


class ReceptionIn(ApplicantIn):
    agency_code: str = Field(description="Electronic identifier code of the handling agency.")
    procedure_code: str = Field(description="National procedure code.")
    channel: ChannelIn = Field("direct", description="direct (counter), postal or online.")


class SubmissionIn(ApplicantIn):
    agency_code: str = Field(description="Electronic identifier code of the handling agency.")
    procedure_code: str = Field(description="National procedure code.")


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
    note: str = ""


class ReasonIn(InSchema):
    reason: str = Field(min_length=1, description="Why; written on the notice.")


class OptionalReasonIn(InSchema):
    reason: str = ""


class StopIn(ReasonIn):
    notice_number: str = ""


class AssignIn(InSchema):
    assignee: str | None = Field(None, description="Username of the official; null unassigns.")
    step_id: int | None = Field(None, description="Internal process step.")
    note: str = ""


class AdvanceIn(InSchema):
    step_id: int | None = Field(None, description="Next step (default: the following one).")
    assignee: str | None = Field(None, description="Username of the official.")
    note: str = ""


class TransferIn(InSchema):
    to_agency_code: str = Field(description="Agency that continues the handling.")
    note: str = ""


class ResolveIn(InSchema):
    result: str = Field("", description="The decision, licence or answer issued.")


class DeliverIn(InSchema):
    delivery_channel: Literal["counter", "postal", "online"]
    postal_tracking: str = ""
    delivery_address: str = ""


class ApologizeIn(InSchema):
    new_due_at: dt.datetime = Field(description="The new appointment (form 04).")
    reason: str = Field(min_length=1)


class RateIn(InSchema):
    value: RatingIn
    comment: str = ""
