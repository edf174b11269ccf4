"""PostgreSQL: the COPY lines of new imported dossiers and of their ``import`` events.

The same rows and the same payload as ``insert_rows`` with ``writer.event_payload`` would
write, built as text in one step per row: the fields are known, most of them are validated
choices, integers or ISO instants that need no escaping, and the payload's JSON is assembled
from its few parts (strings through the ``json`` module's own C escaping) instead of a dict
serialised key by key. The import tests run on PostgreSQL read these payloads back (source,
cells with special characters, replay of imported dossiers from their events alone).
"""

from __future__ import annotations

import datetime as dt
import json.encoder
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from motcua.dossiers.audit import first_event_hash
from motcua.dossiers.interchange.bulkwrite import copy_layout, escaped
from motcua.dossiers.models import Dossier, DossierEvent

# The fields of the new dossier's line, in this order; the others take their defaults.
DOSSIER_FIELDS = (
    "id",
    "code",
    "agency_id",
    "receiving_unit_id",
    "procedure_id",
    "processing_time",
    "time_unit",
    "online_class",
    "one_way",
    "channel",
    "received_at",
    "due_at",
    "state",
    "outcome",
    "closed_at",
    "paused_at",
    "delivered_at",
    "delivery_channel",
)
EVENT_FIELDS = ("dossier_id", "to_state", "payload", "hash")

_json_string = json.encoder.c_encode_basestring or json.encoder.py_encode_basestring  # type: ignore[attr-defined]
_NULL = "\\N"


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class NewDossierLines:
    """COPY statements and lines for new dossiers (``imported``) and their first event."""

    def __init__(self, *, source: str, event_constants: dict[str, Any]) -> None:
        self.dossier_sql, self._dossier_end, _ = copy_layout(
            Dossier, DOSSIER_FIELDS, {"imported": True}
        )
        self.event_sql, self._event_end, _ = copy_layout(
            DossierEvent, EVENT_FIELDS, event_constants
        )
        self._event_constants = event_constants
        self._source = ', "source": ' + _json_string(source) + ', "row": '
        self._keys: dict[str, str] = {}
        self._decimals: dict[Decimal, str] = {}

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = _json_string(name) + ": "
        return key

    def lines(
        self, pk: int, code: str, values: Mapping[str, Any], line: int, raw: Mapping[str, str]
    ) -> tuple[str, str]:
        """The dossier's line and its ``import`` event's line (each without the newline)."""
        received = values["received_at"].isoformat()
        due = _iso(values["due_at"])
        paused = _iso(values["paused_at"])
        closed = _iso(values["closed_at"])
        delivered = _iso(values["delivered_at"])
        amount = values["processing_time"]
        if amount is None:
            amount_text = None
        else:
            amount_text = self._decimals.get(amount)
            if amount_text is None:
                amount_text = self._decimals[amount] = str(amount)
        unit = values["time_unit"]
        state = values["state"]
        outcome = values["outcome"]
        receiving = values["receiving_unit_id"]
        dossier = "\t".join(
            (
                str(pk),
                escaped(code),
                str(values["agency_id"]),
                _NULL if receiving is None else str(receiving),
                str(values["procedure_id"]),
                _NULL if amount_text is None else amount_text,
                unit,
                values["online_class"],
                "t" if values["one_way"] else "f",
                values["channel"],
                received,
                _NULL if due is None else due,
                state,
                outcome,
                _NULL if closed is None else closed,
                _NULL if paused is None else paused,
                _NULL if delivered is None else delivered,
                values["delivery_channel"],
            )
        )
        key = self._key
        columns = ", ".join(
            [key(name) + _json_string(value) for name, value in raw.items() if value]
        )
        payload = "".join(
            (
                '{"code": ',
                _json_string(code),
                ', "agency_id": ',
                str(values["agency_id"]),
                ', "received_at": "',
                received,
                '", "due_at": ',
                "null" if due is None else f'"{due}"',
                ', "paused_at": ',
                "null" if paused is None else f'"{paused}"',
                ', "closed_at": ',
                "null" if closed is None else f'"{closed}"',
                ', "delivered_at": ',
                "null" if delivered is None else f'"{delivered}"',
                ', "outcome": "',
                outcome,
                '", "processing_time": ',
                "null" if amount_text is None else f'"{amount_text}"',
                ', "time_unit": "',
                unit,
                '"',
                self._source,
                str(line),
                ', "columns": {',
                columns,
                "}}",
            )
        )
        # The chain's first link (dossiers.audit), over the payload as the column will hold it.
        seal = first_event_hash(pk, state, payload, self._event_constants)
        event = f"{pk}\t{state}\t{escaped(payload)}\t{seal}"
        return dossier + self._dossier_end, event + self._event_end
