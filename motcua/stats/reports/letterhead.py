"""Who issues a report, to whom, and who signs it (Decree 30/2020/NĐ-CP), from the unit's data.

Pure functions over the `unit` of a report dict, which `stats/assembly.py` fills from the agency
tree (`catalog/selectors.agency_identity`): the unit's level, short name, abbreviation, parent
and locality. Every renderer (DOCX, PDF, the control report) asks :func:`letterhead` and prints
what it gets, so the header, the number symbol, the recipients and the signer are chosen in one
place, by the unit's level:

| unit | header (left) | symbol | recipients | signer |
|---|---|---|---|---|
| province (People's Committee) | ỦY BAN NHÂN DÂN / TỈNH … | UBND | Văn phòng Chính phủ (Cục Kiểm soát TTHC) | TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH |
| Public Administrative Service Center | UBND TỈNH … / TRUNG TÂM … | its own | UBND tỉnh, Văn phòng UBND tỉnh | GIÁM ĐỐC |
| provincial agency (sở, ban, ngành) | UBND TỈNH … / SỞ … | its own | UBND tỉnh, Văn phòng UBND tỉnh | GIÁM ĐỐC (Chánh Thanh tra, Trưởng ban…) |
| district, commune (People's Committees) | ỦY BAN NHÂN DÂN / HUYỆN …, XÃ … | UBND | the People's Committee above, Văn phòng UBND tỉnh | TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH |
| department (phòng) | SỞ … / PHÒNG … | its own | the agency above | TRƯỞNG PHÒNG |

The place of the date line is the locality of the People's Committee whose territory the unit
serves (Decree 30, Appendix I: the province for provincial bodies, the district or the commune
for theirs): "Sơn Lâm, ngày …". Options given by the user (parent_name, unit_name, place,
number, symbol, signer_title, signer_name, recipients) override each part; a unit's remembered
options are `stats.ReportSettings` (:data:`EDITABLE` names them, :func:`editable_defaults` gives
what the form shows when nothing is remembered).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PEOPLES_COMMITTEE_LEVELS = frozenset({"province", "district", "commune"})
CENTER_WORDS = ("trung tâm phục vụ hành chính công", "bộ phận một cửa")
_COMMITTEE_PREFIX = re.compile(r"^\s*(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+", re.IGNORECASE)
_UNIT_WORDS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")
_LOCALITY_SUFFIX = re.compile(r"\s+(tỉnh|thành phố)(\s+.*)?$", re.IGNORECASE)
# Head of an agency by the first word of its name; "GIÁM ĐỐC" otherwise.
HEAD_TITLES = (
    ("thanh tra", "CHÁNH THANH TRA"),
    ("ban ", "TRƯỞNG BAN"),
    ("văn phòng", "CHÁNH VĂN PHÒNG"),
    ("phòng", "TRƯỞNG PHÒNG"),
)


def _get(data: Mapping[str, Any] | None, key: str, default: Any = "") -> Any:
    if not isinstance(data, Mapping):
        return default
    value = data.get(key)
    return default if value is None else value


def level_code(unit: Mapping[str, Any] | None) -> str:
    level = _get(unit, "level", "")
    if isinstance(level, Mapping):
        return str(level.get("code") or "")
    return str(level or "")


def is_center(unit: Mapping[str, Any] | None) -> bool:
    name = str(_get(unit, "name", "")).lower()
    return any(word in name for word in CENTER_WORDS)


def kind(unit: Mapping[str, Any] | None) -> str:
    """province | center | agency | district | commune | department: what decides the frame."""
    level = level_code(unit)
    if is_center(unit):
        return "center"
    if level in PEOPLES_COMMITTEE_LEVELS:
        return level
    if level == "department":
        return "department"
    return "agency"


def committee_area(name: str) -> str:
    """ "Ủy ban nhân dân tỉnh Sơn Lâm" -> "tỉnh Sơn Lâm"; "Tỉnh Mẫu" -> "Tỉnh Mẫu"."""
    return _COMMITTEE_PREFIX.sub("", name.strip()).strip()


def committee_short(name: str) -> str:
    """The short form of a People's Committee for a parent line: "UBND tỉnh Sơn Lâm"."""
    area = committee_area(name)
    if area[:1].isupper() and area.split()[0].lower() in {w.split()[0] for w in _UNIT_WORDS}:
        area = area[0].lower() + area[1:]
    return f"UBND {area}"


def locality_name(name: str) -> str:
    """The place of a date line from a People's Committee or its area: "Ủy ban nhân dân tỉnh
    Sơn Lâm" -> "Sơn Lâm", "Xã An Phú" -> "An Phú"; a numbered ward keeps its word
    ("Phường 12")."""
    area = committee_area(name)
    lowered = area.lower()
    for word in _UNIT_WORDS:
        if lowered.startswith(word + " "):
            rest = area[len(word) :].strip()
            return area if rest.isdigit() else rest
    return area


def derived_abbreviation(name: str) -> str:
    """Initials without diacritics, the locality left out: "Sở Công Thương tỉnh Sơn Lâm" ->
    "SCT"."""
    letters = []
    for word in _LOCALITY_SUFFIX.sub("", name).split():
        first = word[0].replace("Đ", "D").replace("đ", "d")
        base = unicodedata.normalize("NFD", first)[0]
        if base.isalnum():
            letters.append(base.upper())
    return "".join(letters)


def symbol(unit: Mapping[str, Any] | None) -> str:
    """The issuer's symbol in a document number: the agency's abbreviation, "UBND" for a
    People's Committee, else the initials of its full name without the locality (a short name
    may hold an acronym: "Trung tâm PVHCC tỉnh")."""
    given = str(_get(unit, "abbreviation", "")).strip()
    if given:
        return given
    if kind(unit) in PEOPLES_COMMITTEE_LEVELS:
        return "UBND"
    return derived_abbreviation(str(_get(unit, "name", "")))


def document_number(unit: Mapping[str, Any] | None, number: str | None, kind: str = "BC") -> str:
    """ "Số: 215/BC-SCT" from "215"; a number with its own symbol ("215/BC-TTPVHCC") or a whole
    "Số: …" is kept; without a number the space is left for the clerk ("Số:      /BC-SCT")."""
    number = (number or "").strip()
    if number.startswith("Số"):
        return number
    if "/" in number:
        return f"Số: {number}"
    return f"Số: {number or '     '}/{kind}-{symbol(unit)}"


def _parent_line(unit: Mapping[str, Any]) -> str:
    parent = _get(unit, "parent", None)
    if not isinstance(parent, Mapping) or not parent.get("name"):
        return ""
    if level_code(parent) in PEOPLES_COMMITTEE_LEVELS:
        return committee_short(str(parent["name"]))
    return str(parent.get("short_name") or parent["name"])


@dataclass(frozen=True)
class Letterhead:
    issuer_lines: tuple[tuple[str, bool], ...]  # (text, bold), top to bottom
    number: str
    place: str
    recipients: tuple[str, ...]
    signer_lines: tuple[str, ...]
    signer_name: str

    def date_line(self, issued_on: dt.date | None) -> str:
        from motcua.stats.reports.frame import date_line

        return date_line(self.place, issued_on)


def issuer_lines(
    unit: Mapping[str, Any], parent_name: str = "", unit_name: str = ""
) -> tuple[tuple[str, bool], ...]:
    """The left block of the header: the parent body (not bold) over the issuer (bold); a
    People's Committee is written "ỦY BAN NHÂN DÂN" over its area, both bold. A typed
    `parent_name` or `unit_name` replaces its line."""
    name = str(_get(unit, "name", ""))
    if parent_name:
        return ((parent_name.upper(), False), ((unit_name or name).upper(), True))
    if kind(unit) in PEOPLES_COMMITTEE_LEVELS:
        top: tuple[str, bool] = ("ỦY BAN NHÂN DÂN", True)
        own = committee_area(name)
    else:
        parent = _parent_line(unit)
        own = str(_get(unit, "short_name", "") or name) if parent else name
        top = ((parent or "UBND TỈNH ………").upper(), False)  # dots: nothing known above
    return (top, ((unit_name or own).upper(), True))


def place(unit: Mapping[str, Any]) -> str:
    locality = _get(unit, "locality", None)
    if isinstance(locality, Mapping) and locality.get("name"):
        return locality_name(str(locality["name"]))
    if kind(unit) in PEOPLES_COMMITTEE_LEVELS:
        return locality_name(str(_get(unit, "name", "")))
    return ""


def _upper_body(unit: Mapping[str, Any] | None) -> str:
    """How the body above is named among the recipients: "UBND tỉnh Sơn Lâm"."""
    parent = _get(unit, "parent", None)
    if not isinstance(parent, Mapping) or not parent.get("name"):
        return "UBND tỉnh"
    if level_code(parent) in PEOPLES_COMMITTEE_LEVELS:
        return committee_short(str(parent["name"]))
    return str(parent.get("short_name") or parent["name"])


def default_recipients(unit: Mapping[str, Any] | None) -> tuple[str, ...]:
    what = kind(unit)
    if what == "province":
        return (
            "Văn phòng Chính phủ (Cục Kiểm soát TTHC) (b/c);",
            "Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
            "Các sở, ban, ngành; UBND cấp xã;",
            "Lưu: VT.",
        )
    if what == "department":
        return (f"{_upper_body(unit)} (b/c);", "Lưu: VT.")
    head = {"center": "Lãnh đạo Trung tâm;", "agency": "Lãnh đạo đơn vị;"}.get(what, "")
    lines = [f"{_upper_body(unit)} (b/c);", "Văn phòng UBND tỉnh;"]
    if _upper_body(unit).startswith("UBND huyện") or _upper_body(unit).startswith("UBND quận"):
        lines[1] = "Văn phòng HĐND và UBND cấp huyện;"
    if head:
        lines.append(head)
    lines.append("Lưu: VT.")
    return tuple(lines)


def default_signer(unit: Mapping[str, Any] | None) -> tuple[str, ...]:
    what = kind(unit)
    if what in PEOPLES_COMMITTEE_LEVELS:
        return ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    if what == "center":
        return ("GIÁM ĐỐC",)
    name = str(_get(unit, "short_name", "") or _get(unit, "name", "")).lower()
    for prefix, title in HEAD_TITLES:
        if name.startswith(prefix):
            return (title,)
    return ("GIÁM ĐỐC",)


def signer_lines(title: str | Sequence[str] | None) -> tuple[str, ...]:
    """A signer's title as typed, one printed line per line: "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" or
    two lines -> ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), upper case."""
    if not title:
        return ()
    parts = [title] if isinstance(title, str) else list(title)
    lines: list[str] = []
    for part in parts:
        for line in re.split(r"\r?\n| / ", str(part)):
            if line.strip():
                lines.append(line.strip().upper())
    return tuple(lines)


def _recipient_lines(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    items = value.splitlines() if isinstance(value, str) else list(value)
    return tuple(str(item).strip() for item in items if str(item).strip())


# What an official may change before a download and have remembered for the unit.
EDITABLE = (
    "parent_name",
    "unit_name",
    "number",
    "symbol",
    "place",
    "recipients",
    "signer_title",
    "signer_name",
)


def editable_defaults(unit: Mapping[str, Any] | None) -> dict[str, str]:
    """What each :data:`EDITABLE` part is when nothing is typed or remembered, as the form
    shows it (lines joined by line breaks)."""
    unit = unit if isinstance(unit, Mapping) else {}
    (top, _bold), (own, _own_bold) = issuer_lines(unit)
    return {
        "parent_name": top,
        "unit_name": own,
        "number": "",
        "symbol": symbol(unit),
        "place": place(unit),
        "recipients": "\n".join(default_recipients(unit)),
        "signer_title": "\n".join(default_signer(unit)),
        "signer_name": "",
    }


def letterhead(
    unit: Mapping[str, Any] | None, options: Mapping[str, Any] | None = None
) -> Letterhead:
    """Everything around a report's body for `unit` (the report's `unit`), with the user's
    `options` (the :data:`EDITABLE` parts) on top."""
    unit = unit if isinstance(unit, Mapping) else {}
    options = options or {}
    given_symbol = str(options.get("symbol") or "").strip()
    numbered = {**unit, "abbreviation": given_symbol} if given_symbol else unit
    return Letterhead(
        issuer_lines=issuer_lines(
            unit, str(options.get("parent_name") or ""), str(options.get("unit_name") or "")
        ),
        number=document_number(numbered, options.get("number")),
        place=str(options.get("place") or "") or place(unit),
        recipients=_recipient_lines(options.get("recipients")) or default_recipients(unit),
        signer_lines=signer_lines(options.get("signer_title")) or default_signer(unit),
        signer_name=str(options.get("signer_name") or ""),
    )
