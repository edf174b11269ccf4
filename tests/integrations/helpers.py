"""Dossier life for the integration tests, always through the dossier services."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.integrations.adapters import national
from tests.dossiers.factories import staff
from tests.integrations.fakes import FakeNational


def last_seq(dossier: Dossier) -> int:
    return dossier.events.aggregate(last=Max("seq"))["last"] or 0


def assert_peer_matches_db(peer: FakeNational, dossiers: list[Dossier]) -> None:
    """The portal's view of each dossier is the database's, and it saw every event in order."""
    assert peer.violations == []
    for d in dossiers:
        d = Dossier.objects.get(pk=d.pk)
        ref = national.national_ref(d)
        key = ref or d.code
        expected = national.dossier_item(d, last_seq(d), ref)
        events = list(d.events.order_by("seq"))
        seqs = [e.seq for e in events]
        # The portal's latest dossier item is the one of the last state change; later events
        # that change no state (assign, step, rating) come through progress only.
        changes = [
            e.seq
            for e in events
            if e.type in national.RECEPTION_EVENTS or e.from_state != e.to_state
        ]
        got = peer.dossiers.get(key)
        assert got is not None, f"{key}: never reached the portal"
        assert got["STT"] == changes[-1]
        assert {k: v for k, v in got.items() if k != "STT"} == {
            k: v for k, v in expected.items() if k != "STT"
        }, key
        assert peer.progress[key] == seqs, key


def step_dossier(dossier: Dossier, step: int, at: dt.datetime) -> bool:
    """Make the ``step``-th kind of move that the dossier's state allows; False if none."""
    d = Dossier.objects.get(pk=dossier.pk)
    moves = {
        "received": [
            lambda: services.dossier_assign(dossier=d, actor=staff(d), assignee=None, at=at),
            lambda: services.dossier_supplement_request(
                dossier=d, actor=staff(d), reason="thiếu bản sao CCCD", at=at
            ),
        ],
        "in_process": [
            lambda: services.dossier_resolve(dossier=d, actor=staff(d), result="giấy phép", at=at),
            lambda: services.dossier_supplement_request(
                dossier=d, actor=staff(d), reason="thiếu sơ đồ", at=at
            ),
            lambda: services.dossier_assign(dossier=d, actor=staff(d), assignee=None, at=at),
        ],
        "awaiting_supplement": [
            lambda: services.dossier_supplement_receive(dossier=d, actor=staff(d), at=at),
        ],
        "resolved": [
            lambda: services.dossier_deliver(
                dossier=d, actor=staff(d), delivery_channel="counter", at=at
            ),
        ],
        "delivered": [
            lambda: services.dossier_rate(dossier=d, actor=staff(d), value="satisfied", at=at),
        ],
    }.get(d.state, [])
    if not moves:
        return False
    if d.state == "delivered" and d.ratings.exists():
        return False
    moves[step % len(moves)]()
    return True
