"""Forms of the stats pages: the unit and period pickers, and the external figures entry."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Agency
from motcua.core.errors import MotcuaError
from motcua.core.forms import CleanForm
from motcua.stats.counters import ALL_COUNTERS
from motcua.stats.periods import Period, default_cutoff, resolve_period
from motcua.stats.reports.letterhead import signer_lines

KIND_CHOICES = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("half", _("Half-year")),
    ("year", _("Year")),
    ("range", _("Date range")),
]


def unit_choices(agencies: list[Agency]) -> list[tuple[str, str]]:
    return [(a.code, f"{a.name} ({a.code})") for a in agencies]


class PeriodFields(CleanForm):
    """A period: month / quarter / half / year of a year (by the deployment's cut-off), or a
    date range; `period` (2020-04, 2020-Q2, 2020-H1, 2020-M9, 2020) is accepted too."""

    period = forms.CharField(label=_("Period code"), required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Period"), choices=KIND_CHOICES, initial="month", required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    quarter = forms.ChoiceField(
        label=_("Quarter"), choices=[(str(q), q) for q in range(1, 5)], required=False
    )
    half = forms.ChoiceField(
        label=_("Half-year"), choices=[("1", _("first")), ("2", _("second"))], required=False
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(None if data is None else selects_shown(data), *args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            data["period_obj"] = self._period(data)
        except MotcuaError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data

    def _period(self, data: dict[str, Any]) -> Period:
        if data.get("period"):
            return resolve_period(period=data["period"])
        today = timezone.localdate()
        year = data.get("year") or today.year
        kind = data.get("kind") or "month"
        if kind == "range":
            start, end = data.get("start"), data.get("end")
            if not (start and end):
                raise forms.ValidationError(_("Give both dates of the range."))
            return resolve_period(start=start.isoformat(), end=end.isoformat())
        code = {
            "month": lambda: f"{year:04d}-{int(data.get('month') or today.month):02d}",
            "quarter": lambda: f"{year:04d}-Q{data.get('quarter') or (today.month - 1) // 3 + 1}",
            "half": lambda: f"{year:04d}-H{data.get('half') or (1 if today.month <= 6 else 2)}",
            "year": lambda: f"{year:04d}",
        }[kind]()
        return resolve_period(period=code, cutoff=default_cutoff())


_CODES = (
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
    (re.compile(r"(\d{4})-Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})-H([12])"), "half"),
    (re.compile(r"(\d{4})()"), "year"),
)


def selects_shown(data: Any) -> Any:
    """The submitted data with the pickers set to the period that will be shown, so that the
    page never shows one quarter while its selector says another: a period code (2026-Q4, as
    the links carry it) becomes kind, year and quarter (month, half) and is dropped, so a change
    of the pickers is not overridden by it; an empty picker takes the value the period is
    computed with (today's year, month, quarter, half)."""
    data = data.copy()
    code = str(data.get("period") or "").strip().upper()
    for pattern, kind in _CODES:
        match = pattern.fullmatch(code)
        if match and (kind != "month" or 1 <= int(match.group(2)) <= 12):
            data["period"] = ""
            data["kind"], data["year"] = kind, match.group(1)
            if kind != "year":
                data[kind] = str(int(match.group(2)))
            break
    today = timezone.localdate()
    defaults = {
        "year": str(today.year),
        "month": str(today.month),
        "quarter": str((today.month - 1) // 3 + 1),
        "half": "1" if today.month <= 6 else "2",
    }
    for name, value in defaults.items():
        if not data.get(name):
            data[name] = value
    return data


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        css = (
            "form-select form-select-sm"
            if isinstance(widget, forms.Select)
            else ("form-control form-control-sm")
        )
        widget.attrs.setdefault("class", css)


class DashboardForm(PeriodFields):
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    field_order = ["unit", "kind", "year", "month", "quarter", "half", "start", "end"]

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {a.code: a for a in agencies}
        self.fields["unit"].choices = unit_choices(agencies)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = data.get("unit") or next(iter(self.agencies), None)
        if code not in self.agencies:
            raise forms.ValidationError(_("You may not see this unit."))
        data["unit_obj"] = self.agencies[code]
        return data


COUNTER_LABELS = {
    "received.carried_over": _("Received: carried over"),
    "received.new": _("Received: new"),
    "received.total": _("Received: total"),
    "received.by_channel.direct": _("New: direct"),
    "received.by_channel.online": _("New: online"),
    "received.by_channel.postal": _("New: postal"),
    "received.online_by_class.level3": _("Online: level 3"),
    "received.online_by_class.level4": _("Online: level 4"),
    "received.online_by_class.partial": _("Online: partial"),
    "received.online_by_class.full": _("Online: full"),
    "resolved.total": _("Resolved: total"),
    "resolved.early": _("Resolved: early"),
    "resolved.on_time": _("Resolved: on time"),
    "resolved.late": _("Resolved: late"),
    "refused": _("Refused"),
    "withdrawn": _("Withdrawn"),
    "stopped": _("Stopped"),
    "pending.total": _("Pending: total"),
    "pending.not_due": _("Pending: within deadline"),
    "pending.overdue": _("Pending: overdue"),
    "pending.awaiting_supplement": _("Pending: awaiting a supplement"),
    "due": _("Due"),
    "delivered.total": _("Results delivered"),
    "delivered.postal": _("Results delivered by post"),
    "one_way.total": _("One-way: total"),
    "one_way.online": _("One-way: online"),
    "ratings.very_satisfied": _("Ratings: very satisfied"),
    "ratings.satisfied": _("Ratings: satisfied"),
    "ratings.dissatisfied": _("Ratings: dissatisfied"),
}


class ExternalFiguresForm(PeriodFields):
    """One agency outside the system, one period, every counter of statistics.md §1."""

    agency = forms.ChoiceField(
        label=_("Agency in the catalogue"),
        required=False,
        help_text=_("Or give the code and name of an agency that is not in the catalogue."),
    )
    agency_code = forms.CharField(label=_("Agency code"), max_length=40, required=False)
    agency_name = forms.CharField(label=_("Agency name"), max_length=255, required=False)
    reporting_unit = forms.ChoiceField(label=_("Consolidated under"), required=False)
    source = forms.CharField(label=_("Source"), max_length=255, required=False)

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {a.code: a for a in agencies}
        blank = [("", "—")]
        self.fields["agency"].choices = blank + unit_choices(agencies)
        self.fields["reporting_unit"].choices = blank + unit_choices(agencies)
        for key in ALL_COUNTERS:
            self.fields[key] = forms.IntegerField(
                label=COUNTER_LABELS.get(key, key),
                min_value=0,
                required=key not in {"received.total", "due"},
                initial=0,
            )
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        agency = self.agencies.get(data.get("agency") or "")
        if agency is None and not (data.get("agency_code") and data.get("agency_name")):
            raise forms.ValidationError(
                _("Choose an agency of the catalogue or give the code and the name of one.")
            )
        data["agency_obj"] = agency or {"code": data["agency_code"], "name": data["agency_name"]}
        data["reporting_unit_obj"] = self.agencies.get(data.get("reporting_unit") or "")
        if agency is None and data["reporting_unit_obj"] is None:
            raise forms.ValidationError(
                _("Say under which unit the figures of an agency outside the catalogue count.")
            )
        return data

    def counter_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in ALL_COUNTERS]

    def figures(self) -> dict[str, int]:
        return {
            key: self.cleaned_data[key]
            for key in ALL_COUNTERS
            if self.cleaned_data.get(key) is not None
        }


class ExternalFiguresImportForm(PeriodFields):
    file = forms.FileField(label=_("CSV file"))
    reporting_unit = forms.ChoiceField(label=_("Consolidated under"))

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {a.code: a for a in agencies}
        self.fields["reporting_unit"].choices = unit_choices(agencies)
        _style(self)


NUMBER = re.compile(r"\d{1,6}")
SYMBOL = re.compile(r"[A-ZĐ0-9]+(?:[-.][A-ZĐ0-9]+)*")
MAX_RECIPIENTS = 20
MAX_SIGNER_LINES = 4
LINE_LENGTH = 200
TITLE_LENGTH = 80


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ReportSettingsForm(CleanForm):
    """What a unit's report documents print around the figures (letterhead.EDITABLE), as typed
    before a download; a blank field is the default of the unit's level."""

    parent_name = forms.CharField(label=_("Parent line"), max_length=120, required=False)
    unit_name = forms.CharField(label=_("Unit name line"), max_length=120, required=False)
    number = forms.CharField(
        label=_("Number"),
        max_length=10,
        required=False,
        help_text=_("Digits only, e.g. 215; the clerk fills it in when left blank."),
    )
    symbol = forms.CharField(
        label=_("Symbol"),
        max_length=20,
        required=False,
        help_text=_("The unit's symbol in the number, e.g. SCT in Số: 215/BC-SCT."),
    )
    place = forms.CharField(label=_("Place"), max_length=60, required=False)
    recipients = forms.CharField(
        label=_("Recipients"), required=False, widget=forms.Textarea({"rows": 4})
    )
    signer_title = forms.CharField(
        label=_("Signer's title"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("One line per printed line, e.g. KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC."),
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=80, required=False)
    # the date of this document only: never remembered
    issued_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if number and not NUMBER.fullmatch(number):
            raise forms.ValidationError(
                _("The number is digits only, e.g. 215; the symbol has its own field.")
            )
        return number

    def clean_symbol(self) -> str:
        symbol = self.cleaned_data["symbol"].strip().upper()
        if symbol and not SYMBOL.fullmatch(symbol):
            raise forms.ValidationError(
                _("The symbol is capital letters and digits, e.g. SCT or TTPVHCC.")
            )
        return symbol

    def clean_recipients(self) -> str:
        lines = _lines(self.cleaned_data["recipients"])
        if len(lines) > MAX_RECIPIENTS:
            raise forms.ValidationError(
                _("At most %(count)d recipients.") % {"count": MAX_RECIPIENTS}
            )
        if any(len(line) > LINE_LENGTH for line in lines):
            raise forms.ValidationError(
                _("A recipient has at most %(count)d characters.") % {"count": LINE_LENGTH}
            )
        return "\n".join(lines)

    def clean_signer_title(self) -> str:
        lines = signer_lines(self.cleaned_data["signer_title"])
        if len(lines) > MAX_SIGNER_LINES:
            raise forms.ValidationError(
                _("The signer's title has at most %(count)d lines.") % {"count": MAX_SIGNER_LINES}
            )
        if any(len(line) > TITLE_LENGTH for line in lines):
            raise forms.ValidationError(
                _("A line of the signer's title has at most %(count)d characters.")
                % {"count": TITLE_LENGTH}
            )
        return "\n".join(lines)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("parent_name", "unit_name", "place", "signer_name"):
            if name in data:
                data[name] = data[name].strip()
        return data
