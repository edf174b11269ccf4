"""The chain of event hashes: written by every writer, verified, tampering reported."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.audit import GENESIS, hash_of
from motcua.dossiers.interchange import import_dossier_records
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.permissions import DEMO
from motcua.ops.auditchain import make_digests, verify
from motcua.ops.models import AuditDigest
from tests.dossiers.factories import AgencyFactory, ProcedureFactory, local, received_dossier
from tests.dossiers.test_import_dossiers import catalogue, record  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

TABLE = DossierEvent._meta.db_table


def four_events(agency=None) -> Dossier:
    d = received_dossier(agency=agency or AgencyFactory(), procedure=ProcedureFactory())
    services.dossier_supplement_request(
        dossier=d, actor=DEMO, reason='Thiếu bản sao "CCCD"\t', at=local(2026, 11, 23, 10)
    )
    services.dossier_supplement_receive(dossier=d, actor=DEMO, at=local(2026, 11, 24, 9))
    services.dossier_resolve(dossier=d, actor=DEMO, result="Đã cấp", at=local(2026, 11, 25, 9))
    return d


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def problems(**kwargs) -> list[str]:
    return [str(p) for p in verify(**kwargs)]


def test_every_event_is_chained_to_the_previous_one():
    d = four_events()
    previous = GENESIS
    events = list(d.events.order_by("seq"))
    assert len(events) == 4
    for event in events:
        assert event.hash == hash_of(event, previous)
        previous = event.hash
    assert len({e.hash for e in events}) == 4


def test_imported_dossiers_are_chained_too(catalogue):  # noqa: F811
    import_dossier_records([record(code="X-1"), record(code="X-2", channel="online")])
    import_dossier_records(
        [record(code="X-1", outcome="withdrawn", closed_at="2025-03-04T08:00:00+07:00")]
    )
    events = list(DossierEvent.objects.order_by("dossier_id", "seq"))
    assert [e.seq for e in events] == [1, 2, 1]
    assert all(e.hash for e in events)
    assert problems() == []


def test_an_untouched_database_verifies_clean(catalogue):  # noqa: F811
    for _ in range(3):
        four_events()
    import_dossier_records([record(code="X-9")])
    assert problems() == []
    call_command("audit", "verify")  # exits without error


def test_an_altered_event_is_reported():
    d, other = four_events(), four_events()
    sql(
        f"UPDATE {TABLE} SET payload = %s WHERE dossier_id = %s AND seq = 2",  # noqa: S608
        '{"reason": "nothing missing"}',
        d.pk,
    )
    assert problems() == [f"altered: dossier {d.pk} event 2: content differs from its hash"]
    assert other.pk != d.pk


def test_an_altered_event_with_its_hash_recomputed_breaks_the_next_link():
    d = four_events()
    event = d.events.get(seq=3)
    event.at = event.at - dt.timedelta(hours=1)
    forged = hash_of(event, d.events.get(seq=2).hash)
    sql(
        f"UPDATE {TABLE} SET at = %s, hash = %s WHERE id = %s",  # noqa: S608
        event.at,
        forged,
        event.pk,
    )
    assert problems() == [f"altered: dossier {d.pk} event 4: content differs from its hash"]


def test_a_deleted_event_is_reported():
    d = four_events()
    sql(f"DELETE FROM {TABLE} WHERE dossier_id = %s AND seq = 2", d.pk)  # noqa: S608
    assert problems() == [f"deleted: dossier {d.pk}: events 2 are missing"]


def test_a_deleted_last_event_is_reported():
    d = four_events()
    sql(f"DELETE FROM {TABLE} WHERE dossier_id = %s AND seq = 4", d.pk)  # noqa: S608
    [problem] = problems()
    assert problem.startswith(f"deleted: dossier {d.pk}: the dossier is 'resolved'")


def test_a_dossier_stripped_of_its_events_is_reported():
    d = received_dossier()
    sql(f"DELETE FROM {TABLE} WHERE dossier_id = %s", d.pk)  # noqa: S608
    assert problems() == [f"deleted: dossier {d.pk}: the dossier has no events"]


def test_reordered_events_are_reported():
    d = four_events()
    ids = dict(d.events.values_list("seq", "id"))
    sql(f"UPDATE {TABLE} SET seq = 99 WHERE id = %s", ids[2])  # noqa: S608
    sql(f"UPDATE {TABLE} SET seq = 2 WHERE id = %s", ids[3])  # noqa: S608
    sql(f"UPDATE {TABLE} SET seq = 3 WHERE id = %s", ids[2])  # noqa: S608
    assert problems() == [
        f"reordered: dossier {d.pk} event 2: was written as event 3",
        f"reordered: dossier {d.pk} event 3: was written as event 2",
    ]


def test_command_lists_problems_and_fails(capsys):
    d = four_events()
    sql(f"UPDATE {TABLE} SET to_state = 'refused' WHERE dossier_id = %s AND seq = 1", d.pk)  # noqa: S608
    with pytest.raises(CommandError, match="1 problems found"):
        call_command("audit", "verify")
    assert f"altered: dossier {d.pk} event 1" in capsys.readouterr().out


def test_since_limits_the_dossiers_checked():
    old = four_events()
    sql(
        f"UPDATE {TABLE} SET recorded_at = %s WHERE dossier_id = %s",  # noqa: S608
        timezone.now() - dt.timedelta(days=10),
        old.pk,
    )
    sql(f"UPDATE {TABLE} SET payload = '{{}}' WHERE dossier_id = %s AND seq = 3", old.pk)  # noqa: S608
    recent = four_events()
    since = timezone.localdate() - dt.timedelta(days=2)
    assert problems(since=since) == []
    assert len(problems()) == 1
    assert recent.pk != old.pk


def test_daily_digest_is_idempotent_and_catches_a_rewritten_chain():
    agency = AgencyFactory()
    d = four_events(agency)
    four_events(agency)
    today = timezone.localdate()
    first = make_digests(today)
    assert [status for _digest, status in first] == ["created"]
    assert first[0][0].dossiers == 2
    assert [status for _digest, status in make_digests(today)] == ["unchanged"]
    assert AuditDigest.objects.count() == 1
    # A forger rewrites the last event and re-seals it: the chain alone verifies...
    last = d.events.get(seq=4)
    last.payload = {"result": "Từ chối"}
    sql(
        f"UPDATE {TABLE} SET payload = %s, hash = %s WHERE id = %s",  # noqa: S608
        '{"result": "Từ chối"}',
        hash_of(last, d.events.get(seq=3).hash),
        last.pk,
    )
    found = problems()
    # ...but not against the digest recorded that day.
    assert found == [
        f"digest: agency {agency.pk} on {today}: the events no longer give the digest recorded that day"
    ]
    assert [status for _digest, status in make_digests(today)] == ["MISMATCH"]
    with pytest.raises(CommandError, match="no longer match"):
        call_command("audit", "digest", "--date", today.isoformat())


def test_digests_chain_day_to_day():
    agency = AgencyFactory()
    four_events(agency)
    today = timezone.localdate()
    [(first, _)] = make_digests(today)
    received_dossier(agency=agency)
    sql(
        f"UPDATE {TABLE} SET recorded_at = %s WHERE id = %s",  # noqa: S608
        timezone.now() + dt.timedelta(days=1),
        DossierEvent.objects.latest("id").pk,
    )
    [(second, status)] = make_digests(today + dt.timedelta(days=1))
    assert status == "created"
    assert second.previous == first.digest


def test_events_older_than_the_hash_column_are_sealed_by_the_migration_step():
    from motcua.dossiers.audit import seal_unsealed

    first, second = four_events(), four_events()
    sql(f"UPDATE {TABLE} SET hash = '' WHERE dossier_id = %s", first.pk)  # noqa: S608
    assert seal_unsealed(DossierEvent) == 4
    assert problems() == []
    assert seal_unsealed(DossierEvent) == 0
    assert second.events.exclude(hash="").count() == 4
