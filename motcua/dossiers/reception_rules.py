"""What a reception must say, whoever takes it: the counter form, the API, the portal and the
services all ask :func:`reception_problems` (the services refuse, the form shows the messages
beside the fields). Pure: no database.

The historical import carries neither names of fields nor addresses of delivery; its rows are
checked by ``dossiers.interchange.rows`` and these rules do not apply to them.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from motcua.core.errors import MotcuaError
from motcua.dossiers.choices import DeliveryChannel


def reception_problems(
    *, applicant: Mapping[str, str], delivery_channel: str, delivery_address: str
) -> dict[str, str]:
    """``{field: message}`` for each rule the reception breaks (empty when it is complete).

    ``applicant`` holds the ``applicant_*`` fields. A result sent by post needs an address:
    the delivery address, or else the applicant's."""
    problems: dict[str, str] = {}
    if not (applicant.get("applicant_name") or "").strip():
        problems["applicant_name"] = _("the applicant's name is required")
    if delivery_channel == DeliveryChannel.POSTAL and not (
        (delivery_address or "").strip() or (applicant.get("applicant_address") or "").strip()
    ):
        problems["delivery_address"] = _("Give the address the result is posted to.")
    return problems


def check_reception(
    *, applicant: Mapping[str, str], delivery_channel: str, delivery_address: str
) -> None:
    """Raise ``MotcuaError`` naming every broken rule of :func:`reception_problems`."""
    problems = reception_problems(
        applicant=applicant, delivery_channel=delivery_channel, delivery_address=delivery_address
    )
    if problems:
        raise MotcuaError("; ".join(f"{field}: {text}" for field, text in problems.items()))
