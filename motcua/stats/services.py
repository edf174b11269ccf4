"""Writes of the stats app: figures of agencies outside the system, entered or imported, and
the report settings remembered per unit."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.selectors import user_agency_ids
from motcua.catalog.choices import Role
from motcua.catalog.models import Agency
from motcua.catalog.selectors import agency_identity
from motcua.core.audit import audit_record
from motcua.core.csvio import RowReader, read_csv
from motcua.core.errors import ImportFailed, MotcuaError, PermissionDenied, RowError
from motcua.core.interchange import ImportResult
from motcua.dossiers.permissions import REPORT_SETTINGS, authorize_agency
from motcua.stats.counters import ALL_COUNTERS, DERIVED_COUNTERS, add_derived
from motcua.stats.forms import ReportSettingsForm
from motcua.stats.identities import identity_problems
from motcua.stats.models import ExternalFigures, ReportSettings, field_name
from motcua.stats.periods import Period
from motcua.stats.reports.letterhead import EDITABLE, editable_defaults

ENTRY_ROLES = {Role.MONITOR, Role.LEADER, Role.ADMIN}


class SettingsInvalid(MotcuaError):
    """Report settings refused: ``errors`` maps each field to its messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = dict(errors)
        super().__init__(
            "; ".join(f"{field}: {' '.join(messages)}" for field, messages in self.errors.items())
        )


class FiguresInvalid(MotcuaError):
    """Figures that break an identity of statistics.md §2; every problem is listed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def flatten_figures(figures: Mapping[str, Any]) -> dict[str, Any]:
    """`{"received": {"new": 3}}` or `{"received.new": 3}` -> `{"received.new": 3}`."""
    flat: dict[str, Any] = {}
    for key, value in figures.items():
        if isinstance(value, Mapping):
            for sub, inner in flatten_figures(value).items():
                flat[f"{key}.{sub}"] = inner
        else:
            flat[key] = value
    return flat


def figures_complete(figures: Mapping[str, Any]) -> dict[str, int]:
    """Every counter of §1 as an int (missing ones 0; the sums of ``DERIVED_COUNTERS``
    computed when absent). Raises FiguresInvalid for values that are not non-negative integers."""
    flat = flatten_figures(figures)
    problems = []
    counts: dict[str, int] = {}
    for key in ALL_COUNTERS:
        value = flat.get(key)
        if value is None or value == "":
            continue
        try:
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise TypeError
            number = int(value)
        except (TypeError, ValueError):
            problems.append(
                _("%(key)s: '%(value)s' is not a whole number") % {"key": key, "value": value}
            )
            continue
        if number < 0:
            problems.append(_("%(key)s: %(value)s is negative") % {"key": key, "value": number})
            continue
        counts[key] = number
    if problems:
        raise FiguresInvalid(problems)
    for key in ALL_COUNTERS:
        counts.setdefault(key, 0)
    for key in DERIVED_COUNTERS:
        if flat.get(key) in (None, ""):
            add_derived(counts, only=key)
    return counts


def _check_actor(actor: Any, unit: Agency | None) -> None:
    allowed = user_agency_ids(user=actor, roles=ENTRY_ROLES)
    if allowed is None:
        return
    if unit is None or unit.pk not in allowed:
        raise PermissionDenied(
            _("You may not enter figures for %(unit)s.")
            % {"unit": unit.name if unit else _("a unit outside the catalogue")}
        )


def _identity(agency: Agency | Mapping[str, str]) -> tuple[Agency | None, str, str]:
    if isinstance(agency, Agency):
        return agency, agency.code, agency.name
    code = str(agency.get("code") or "").strip()
    name = str(agency.get("name") or "").strip()
    if not code or not name:
        raise FiguresInvalid([_("an agency outside the catalogue needs a code and a name")])
    found = Agency.objects.filter(code=code).first()
    return found, code, found.name if found else name


@transaction.atomic
def external_figures_record(
    *,
    actor: Any,
    agency: Agency | Mapping[str, str],
    period: Period,
    figures: Mapping[str, Any],
    source: str = "",
    reporting_unit: Agency | None = None,
) -> ExternalFigures:
    """Record (or replace) one agency's figures for one period after checking identities 1-4.

    `agency` is a catalogue Agency or `{"code": ..., "name": ...}`; `reporting_unit` (default:
    the agency's parent) is the unit whose consolidated reports include the figures. Raises
    FiguresInvalid naming each broken identity and by how much, PermissionDenied when the
    actor may not report for the unit.
    """
    row_agency, code, name = _identity(agency)
    unit = reporting_unit or (row_agency.parent if row_agency else None)
    _check_actor(actor, unit or row_agency)
    counts = figures_complete(figures)
    problems = identity_problems(counts)
    if problems:
        raise FiguresInvalid(problems)
    values = {field_name(key): counts[key] for key in ALL_COUNTERS}
    values.update(
        agency=row_agency,
        agency_name=name,
        reporting_unit=unit,
        source=source,
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
        entered_at=timezone.now(),
    )
    figures_row, created = ExternalFigures.objects.select_for_update().update_or_create(
        agency_code=code, period_start=period.start, period_end=period.end, defaults=values
    )
    audit_record(
        actor=actor,
        action="stats.external_figures_" + ("create" if created else "update"),
        obj=figures_row,
        payload={"agency": code, "period": period.as_dict(), "figures": counts, "source": source},
    )
    return figures_row


CSV_REQUIRED = {"agency_code", "agency_name"}
CSV_OPTIONAL = {"source", *ALL_COUNTERS}


def external_figures_import(
    *,
    actor: Any,
    path: Path | str | bytes,
    period: Period,
    reporting_unit: Agency | None = None,
) -> ImportResult:
    """Import a CSV of figures for one period: columns agency_code, agency_name, source and the
    counter keys of statistics.md §1 (`received.new`, `resolved.early`, ...). All rows or none:
    every bad cell and every broken identity is listed in ImportFailed."""
    table = read_csv(path, required=CSV_REQUIRED, optional=CSV_OPTIONAL)
    errors: list[RowError] = []
    parsed = []
    for line, row in table.rows:
        reader = RowReader(line, row)
        code = reader.text("agency_code", required=True, max_length=40)
        name = reader.text("agency_name", required=True, max_length=255)
        figures = {key: row[key] for key in ALL_COUNTERS if row.get(key, "") != ""}
        try:
            counts = figures_complete(figures)
            problems = identity_problems(counts)
        except FiguresInvalid as exc:
            problems = exc.problems
        errors.extend(reader.errors)
        errors.extend(RowError(line, "", problem) for problem in problems)
        parsed.append((line, code, name, figures, row.get("source", "")))
    if errors:
        raise ImportFailed(errors)
    result = ImportResult()
    with transaction.atomic():
        for line, code, name, figures, source in parsed:
            existed = ExternalFigures.objects.filter(
                agency_code=code, period_start=period.start, period_end=period.end
            ).exists()
            try:
                external_figures_record(
                    actor=actor,
                    agency={"code": code, "name": name},
                    period=period,
                    figures=figures,
                    source=source or _("CSV import"),
                    reporting_unit=reporting_unit,
                )
            except (FiguresInvalid, PermissionDenied) as exc:
                raise ImportFailed([RowError(line, "agency_code", str(exc))]) from exc
            if existed:
                result.updated += 1
            else:
                result.created += 1
    return result


@transaction.atomic
def save_report_settings(*, actor: Any, agency: Agency, data: Mapping[str, Any]) -> ReportSettings:
    """Remember what ``agency``'s report documents print (the fields of ``ReportSettingsForm``,
    as submitted): checked with the form, by the permission table's ``REPORT_SETTINGS`` (the
    unit's officials, those above it, administrators). A value equal to the level's default is
    stored blank, so the default follows later changes of the agency tree. Raises
    PermissionDenied or SettingsInvalid (every error, nothing written)."""
    authorize_agency(actor, REPORT_SETTINGS, agency)
    form = ReportSettingsForm({name: data.get(name) or "" for name in EDITABLE})
    if not form.is_valid():
        raise SettingsInvalid({name: list(errors) for name, errors in form.errors.items()})
    defaults = editable_defaults(agency_identity(agency))
    values: dict[str, Any] = {
        name: "" if form.cleaned_data[name] == defaults[name] else form.cleaned_data[name]
        for name in EDITABLE
    }
    user = actor if getattr(actor, "is_authenticated", False) else None
    values.update(changed_by=user, changed_at=timezone.now())
    row, created = ReportSettings.objects.select_for_update().update_or_create(
        agency=agency, defaults=values
    )
    audit_record(
        actor=actor,
        action="stats.report_settings_" + ("create" if created else "update"),
        obj=row,
        payload={"agency": agency.code, **{name: values[name] for name in EDITABLE}},
    )
    return row
