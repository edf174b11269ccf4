"""The procedure attributes a decision may set, their JSON form and their validation."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from motcua.catalog.choices import OnlineClass, ProcedureLevel, TimeUnit
from motcua.catalog.models import Procedure
from motcua.core.errors import MotcuaError

BOOLEAN = ("one_way", "postal_reception", "postal_return", "inter_agency", "is_active")
TEXT = ("name", "fee")
CHOICE = {
    "level": ProcedureLevel.values,
    "time_unit": TimeUnit.values,
    "online_class": OnlineClass.values,
}
# Every attribute a revision records; a decision item may set all but is_active.
TRACKED = ("name", "level", "processing_time", "time_unit", "online_class", "fee", *BOOLEAN)
SETTABLE = tuple(key for key in TRACKED if key != "is_active")


def procedure_snapshot(procedure: Procedure) -> dict[str, Any]:
    """The tracked attributes of a catalogue row, JSON-able (the time as a string)."""
    data: dict[str, Any] = {key: getattr(procedure, key) for key in TRACKED}
    if data["processing_time"] is not None:
        data["processing_time"] = str(data["processing_time"])
    return data


def clean_attributes(raw: dict[str, Any] | None) -> dict[str, Any]:
    """Check the attributes a decision item sets; raise MotcuaError naming the bad one."""
    cleaned: dict[str, Any] = {}
    for key, value in (raw or {}).items():
        if key not in SETTABLE:
            raise MotcuaError(
                _("Unknown procedure attribute '%(key)s' (allowed: %(allowed)s).")
                % {"key": key, "allowed": ", ".join(SETTABLE)}
            )
        if key == "processing_time":
            cleaned[key] = _clean_time(value)
        elif key in BOOLEAN:
            if not isinstance(value, bool):
                raise MotcuaError(_("Attribute '%(key)s' must be true or false.") % {"key": key})
            cleaned[key] = value
        elif key in CHOICE:
            if value not in CHOICE[key]:
                raise MotcuaError(
                    _("Attribute '%(key)s': '%(value)s' is not one of %(allowed)s.")
                    % {"key": key, "value": value, "allowed": ", ".join(CHOICE[key])}
                )
            cleaned[key] = value
        else:
            cleaned[key] = "" if value is None else str(value).strip()
            if key == "name" and not cleaned[key]:
                raise MotcuaError(_("Attribute 'name' must not be empty."))
    return cleaned


def _clean_time(value: Any) -> str | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise MotcuaError(
            _("Attribute 'processing_time': '%(value)s' is not a number.") % {"value": value}
        ) from None
    if amount < 0 or not amount.is_finite():
        raise MotcuaError(
            _("Attribute 'processing_time' must be zero or more, not %(value)s.") % {"value": value}
        )
    return str(amount)


_DIGIT_RUN = re.compile(r"(?<![\d.,])\d{4,}(?![\d.,])")


def _number(value: Any) -> str:
    """A number in the interface's format, digits grouped: 356.500.000, 15,5."""
    return formats.number_format(Decimal(str(value)), use_l10n=True, force_grouping=True)


def attribute_rows(attributes: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A decision item's attributes as (label, text) for the pages: the catalogue's field
    labels, choices by their names, yes/no, and numbers in the interface's format (a fee's long
    digit runs grouped: "356500000 đồng" -> "356.500.000 đồng")."""
    rows = []
    for key, value in (attributes or {}).items():
        try:
            field = Procedure._meta.get_field(key)
            label = str(field.verbose_name)
        except Exception:  # an attribute of an older version: shown by its key
            field, label = None, key
        if value is None or value == "":
            text = "—"
        elif isinstance(value, bool):
            text = str(_("yes") if value else _("no"))
        elif field is not None and field.choices:
            text = str(dict(field.flatchoices).get(value, value))
        elif key == "processing_time":
            text = _number(value)
        else:
            text = _DIGIT_RUN.sub(lambda m: _number(m.group(0)), str(value))
        rows.append((label, text))
    return rows


def apply_to_procedure(procedure: Procedure, attributes: dict[str, Any]) -> list[str]:
    """Copy revision attributes onto the catalogue row; return the changed field names."""
    changed = []
    for key in TRACKED:
        if key not in attributes:
            continue
        value = attributes[key]
        if key == "processing_time" and value is not None:
            value = Decimal(value)
        if getattr(procedure, key) != value:
            setattr(procedure, key, value)
            changed.append(key)
    return changed
