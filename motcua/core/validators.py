"""Identity numbers and phone numbers as Vietnamese offices write them.

One home for "is this a valid ID number / phone number": forms, the API, the portal and the
services call these functions. Each returns the normalised value (digits only, upper-case
passport letters) or raises ``ValidationError`` with a message that says what is wrong.

- Citizen identity card (CCCD, Decree 137/2015 and the Law on Identification 2023): 12 digits.
- Old identity card (CMND): 9 digits.
- Tax code (Circular 105/2020/TT-BTC): 10 digits whose last is a check digit, optionally
  followed by ``-NNN`` for a dependent unit (13 digits when written without the hyphen).
- Passport: a letter followed by 7 digits (Vietnamese), or 6–9 letters and digits containing
  at least one letter (foreign).
- Phones: mobile ``0[35789]`` + 8 digits, landline ``02`` + 9 digits; ``+84``/``84`` is read as
  the leading ``0``; spaces, dots, hyphens and parentheses are ignored.
"""

from __future__ import annotations

import re
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_SEPARATORS = re.compile(r"[\s.\-()]")
_PASSPORT = re.compile(r"[A-Z][0-9]{7}|(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6,9}")
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{9}")


class IdKind(StrEnum):
    CCCD = "cccd"
    CMND = "cmnd"
    TAX = "tax"
    PASSPORT = "passport"


def tax_check_digit(first_nine: str) -> int | None:
    """The check digit of a tax code's first nine digits; None when no code can have them."""
    digit = 10 - sum(int(d) * w for d, w in zip(first_nine, TAX_WEIGHTS, strict=True)) % 11
    return None if digit == 10 else digit


def with_tax_check_digit(first_nine: str) -> str:
    """Complete nine digits into a valid tax code (used by the demo and tests)."""
    digit = tax_check_digit(first_nine)
    if digit is None:
        raise ValueError(f"no tax code starts with {first_nine}")
    return f"{first_nine}{digit}"


def _check_tax(digits: str, raw: str) -> str:
    main, branch = digits[:10], digits[10:]
    if tax_check_digit(main[:9]) != int(main[9]):
        raise ValidationError(
            _("Tax code %(value)s: the check digit (the 10th) does not match."),
            code="tax_check_digit",
            params={"value": raw},
        )
    return f"{main}-{branch}" if branch else main


def classify_id_number(value: str) -> tuple[IdKind, str]:
    """The kind and the normalised form of an ID number, or a ValidationError saying why not."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationError(_("Enter an ID number."), code="required")
    if len(raw) > 40:
        raise ValidationError(_("An ID number has at most 40 characters."), code="max_length")
    compact = raw.replace(" ", "").upper()
    if re.fullmatch(r"[0-9]{10}-[0-9]{3}", compact):
        return IdKind.TAX, _check_tax(compact.replace("-", ""), raw)
    if compact.isascii() and compact.isdigit():
        if len(compact) == 12:
            return IdKind.CCCD, compact
        if len(compact) == 9:
            return IdKind.CMND, compact
        if len(compact) in (10, 13):
            return IdKind.TAX, _check_tax(compact, raw)
        raise ValidationError(
            _(
                "ID number %(value)s has %(count)d digits: a citizen identity card has 12, "
                "an old identity card 9, a tax code 10 (or 10 and a 3-digit branch)."
            ),
            code="id_length",
            params={"value": raw, "count": len(compact)},
        )
    if compact.isascii() and _PASSPORT.fullmatch(compact):
        return IdKind.PASSPORT, compact
    raise ValidationError(
        _(
            "ID number %(value)s is neither a citizen identity card (12 digits), an identity "
            "card (9 digits), a tax code nor a passport number."
        ),
        code="id_format",
        params={"value": raw},
    )


def normalize_id_number(value: str, *, kinds: tuple[IdKind, ...] | None = None) -> str:
    """The normalised ID number, checked against ``kinds`` when given."""
    kind, normalised = classify_id_number(value)
    if kinds is not None and kind not in kinds:
        raise ValidationError(
            _("ID number %(value)s: this is a %(kind)s, which is not accepted here."),
            code="id_kind",
            params={"value": value, "kind": ID_KIND_LABELS[kind]()},
        )
    return normalised


ID_KIND_LABELS = {
    IdKind.CCCD: lambda: _("citizen identity card number"),
    IdKind.CMND: lambda: _("identity card number"),
    IdKind.TAX: lambda: _("tax code"),
    IdKind.PASSPORT: lambda: _("passport number"),
}


def normalize_phone(value: str) -> str:
    """A Vietnamese phone number as digits with the leading 0, or a ValidationError."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationError(_("Enter a phone number."), code="required")
    digits = _SEPARATORS.sub("", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if digits.isascii() and (_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits)):
        return digits
    raise ValidationError(
        _(
            "Phone number %(value)s is not a Vietnamese number: a mobile number has 10 digits "
            "starting 03, 05, 07, 08 or 09; a landline 11 digits starting 02."
        ),
        code="phone",
        params={"value": raw},
    )
