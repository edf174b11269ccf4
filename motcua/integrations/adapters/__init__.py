"""One module per peer: the wire format of its messages and how to send them.

Each adapter module offers ``enabled()``, ``messages_for_event(dossier, event)`` (kind and
payload of each message an event causes, already in the peer's format) and
``send(kind, payloads)`` → ``Outcome``. The dossier rules never see a wire detail. The
adapters of messages to applicants (sms, email) also offer ``messages_for_occasion(dossier,
occasion, values)`` for the notices no event alone causes (``outbox.queue_notice``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """How a call ended: ``sent``; ``retry`` (connection, timeout, 5xx); ``refused`` (parked)."""

    status: str
    answer: str = ""

    @classmethod
    def sent(cls, answer: str = "") -> Outcome:
        return cls("sent", answer)

    @classmethod
    def retry(cls, answer: str) -> Outcome:
        return cls("retry", answer)

    @classmethod
    def refused(cls, answer: str) -> Outcome:
        return cls("refused", answer)


def adapter(peer: str):
    """The adapter module of ``peer``."""
    import importlib

    if peer not in PEERS:
        raise KeyError(peer)
    return importlib.import_module(f"motcua.integrations.adapters.{peer}")


PEERS = ("national", "postal", "sms", "email")
