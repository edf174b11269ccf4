"""The dossier list table (django-tables2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import DeadlineStatus
from motcua.dossiers.deadlines import deadline_status
from motcua.dossiers.models import Dossier
from motcua.worktime.calendar import WorkCalendar

# Bootstrap colour of each deadline status, as NetBox gives each choice a colour.
DEADLINE_COLOURS = {
    DeadlineStatus.EARLY: "success",
    DeadlineStatus.ON_TIME: "primary",
    DeadlineStatus.LATE: "danger",
    DeadlineStatus.NOT_DUE: "secondary",
    DeadlineStatus.DUE_SOON: "warning",
    DeadlineStatus.OVERDUE: "danger",
    DeadlineStatus.PAUSED: "info",
    DeadlineStatus.NONE: "light",
}
STATE_COLOURS = {
    "submitted": "info",
    "not_received": "dark",
    "received": "primary",
    "in_process": "primary",
    "awaiting_supplement": "warning",
    "transferring": "info",
    "resolved": "success",
    "delivered": "success",
    "refused": "danger",
    "withdrawn": "secondary",
    "stopped": "dark",
    "filed": "secondary",
}


def deadline_badge(status: DeadlineStatus) -> str:
    if status == DeadlineStatus.NONE:
        return ""
    text_class = " text-dark" if status in (DeadlineStatus.DUE_SOON, DeadlineStatus.NONE) else ""
    return format_html(
        '<span class="badge bg-{}{} deadline-{}">{}</span>',
        DEADLINE_COLOURS[status],
        text_class,
        status.value,
        status.label,
    )


def state_badge(dossier: Dossier) -> str:
    colour = STATE_COLOURS.get(dossier.state, "secondary")
    text_class = " text-dark" if colour in ("warning", "info", "light") else ""
    return format_html(
        '<span class="badge bg-{}{}">{}</span>', colour, text_class, dossier.get_state_display()
    )


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return format_html(
        '<span class="text-nowrap">{}</span> <span class="text-muted small">{}</span>',
        date_format(local, "d/m/Y"),
        date_format(local, "H:i"),
    )


class DossierTable(tables.Table):
    code = tables.Column(verbose_name=_("Dossier code"), order_by=("code",), empty_values=())
    applicant_name = tables.Column(verbose_name=_("Applicant"))
    procedure = tables.Column(verbose_name=_("Procedure"), accessor="procedure__name")
    agency = tables.Column(verbose_name=_("Handling agency"), accessor="agency__name")
    channel = tables.Column(verbose_name=_("Channel"))
    received_at = tables.Column(verbose_name=_("Received"))
    due_at = tables.Column(verbose_name=_("Due"))
    state = tables.Column(verbose_name=_("State"))
    deadline = tables.Column(verbose_name=_("Deadline"), empty_values=(), orderable=False)

    class Meta:
        model = Dossier
        fields = ()
        sequence = (
            "code",
            "applicant_name",
            "procedure",
            "agency",
            "channel",
            "received_at",
            "due_at",
            "state",
            "deadline",
        )
        attrs = {"class": "table table-sm table-hover align-middle dossier-table"}
        order_by = ("-received_at",)

    def __init__(
        self,
        *args,
        calendar_for: Callable[[int], WorkCalendar],
        now: dt.datetime | None = None,
        **kwargs,
    ):
        """``calendar_for(agency_id)``: the working calendar of the dossier's agency."""
        super().__init__(*args, **kwargs)
        self.calendar_for = calendar_for
        self.now = now or timezone.now()

    def render_code(self, value: str, record: Dossier) -> str:
        ref = value or f"id-{record.pk}"
        url = reverse("dossiers:detail", kwargs={"code": ref})
        return format_html(
            '<a href="{}" class="font-monospace small text-nowrap" hx-boost="false">{}</a>',
            url,
            value or _("(awaiting pre-check)"),
        )

    def render_procedure(self, value: str, record: Dossier) -> str:
        short = value if len(value) <= 60 else value[:57] + "…"
        return format_html('<span title="{}">{}</span>', value, short)

    def render_agency(self, value: str, record: Dossier) -> str:
        return record.agency.short_name or value

    def render_channel(self, value: str, record: Dossier) -> str:
        return record.get_channel_display()

    def render_received_at(self, value: dt.datetime) -> str:
        return _when(value)

    def render_due_at(self, value: dt.datetime) -> str:
        return _when(value)

    def render_state(self, value: str, record: Dossier) -> str:
        return state_badge(record)

    def render_deadline(self, record: Dossier) -> str:
        calendar = self.calendar_for(record.agency_id)
        status, _remaining = deadline_status(record, now=self.now, calendar=calendar)
        return deadline_badge(status)
