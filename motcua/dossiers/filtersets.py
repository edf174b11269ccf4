"""Filters of the dossier list (django-filter); the queryset comes from the scoped selector."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Field, Procedure
from motcua.core.localtime import day_start
from motcua.core.widgets import QuickSelect
from motcua.dossiers.choices import Channel, DeadlineStatus, DossierState
from motcua.dossiers.deadlines import deadline_filter, due_on_days_q
from motcua.dossiers.search import dossier_text_q

DEADLINE_CHOICES = [
    (DeadlineStatus.NOT_DUE, _("open, not due")),
    (DeadlineStatus.DUE_SOON, _("open, due soon")),
    (DeadlineStatus.OVERDUE, _("open, overdue")),
    (DeadlineStatus.PAUSED, _("clock stopped (awaiting supplement)")),
    (DeadlineStatus.EARLY, _("resolved early")),
    (DeadlineStatus.ON_TIME, _("resolved on time")),
    (DeadlineStatus.LATE, _("resolved late")),
]


# The blank choice of each select, instead of django-filter's untranslated "---------".
ALL = _("— all —")


class DossierFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Code, applicant or ID number"),
        method="filter_q",
        widget=forms.TextInput(attrs={"placeholder": _("Code, applicant or ID number")}),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=DossierState.choices, empty_label=ALL
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, empty_label=ALL
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Handling agency"), queryset=Agency.objects.none(), empty_label=ALL
    )
    procedure = django_filters.ModelChoiceFilter(
        label=_("Procedure"), queryset=Procedure.objects.none(), empty_label=ALL
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Field"),
        field_name="procedure__field",
        queryset=Field.objects.order_by("name"),
        empty_label=ALL,
    )
    assignee = django_filters.ModelChoiceFilter(
        label=_("Assignee"), queryset=User.objects.none(), empty_label=ALL
    )
    received_from = django_filters.DateFilter(
        label=_("Received from"),
        method="filter_received_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"),
        method="filter_received_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_from = django_filters.DateFilter(
        label=_("Due from"),
        method="filter_due_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_to = django_filters.DateFilter(
        label=_("Due to"),
        method="filter_due_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Deadline"), choices=DEADLINE_CHOICES, method="filter_deadline", empty_label=ALL
    )

    def __init__(
        self,
        *args,
        agencies: QuerySet | None = None,
        assignees: QuerySet | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.filters["agency"].queryset = agencies
            self.form.fields["agency"].queryset = agencies
        if assignees is not None:  # the officials of the user's own agencies only
            self.filters["assignee"].queryset = assignees
            self.form.fields["assignee"].queryset = assignees
        self.form.fields["assignee"].label_from_instance = lambda u: u.full_name or u.username
        procedures = Procedure.objects.filter(is_active=True).only("id", "code", "name")
        self.filters["procedure"].queryset = procedures
        self.form.fields["procedure"].queryset = procedures
        self.form.fields["procedure"].label_from_instance = lambda p: f"{p.code} {p.name[:70]}"
        for field in self.form.fields.values():
            if type(field.widget) is forms.Select:
                # Rendered in Python (core.widgets.QuickSelect): the choices are long.
                quick = QuickSelect(attrs=field.widget.attrs)
                quick.choices = field.widget.choices
                field.widget = quick
            css = (
                "form-select form-select-sm"
                if hasattr(field, "choices")
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return qs.filter(dossier_text_q(value)) if value else qs

    def filter_received_from(self, qs: QuerySet, name: str, value: dt.date) -> QuerySet:
        return qs.filter(received_at__gte=day_start(value))

    def filter_received_to(self, qs: QuerySet, name: str, value: dt.date) -> QuerySet:
        return qs.filter(received_at__lt=day_start(value + dt.timedelta(days=1)))

    def filter_due_from(self, qs: QuerySet, name: str, value: dt.date) -> QuerySet:
        return qs.filter(due_on_days_q(first=value))

    def filter_due_to(self, qs: QuerySet, name: str, value: dt.date) -> QuerySet:
        return qs.filter(due_on_days_q(last=value))

    def filter_deadline(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return deadline_filter(qs, value) if value else qs
