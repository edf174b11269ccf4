"""``dossier_history_record``: imported history written with its event, checked, all or nothing."""

from __future__ import annotations

import pytest

from motcua.core.errors import MotcuaError, PermissionDenied
from motcua.dossiers import services
from motcua.dossiers.models import Apology, Dossier, Rating
from motcua.dossiers.permissions import IMPORT, PORTAL
from motcua.dossiers.replay import replay
from motcua.dossiers.services.history import (
    HistoryApology,
    HistoryEntry,
    HistoryRating,
    dossier_history_record,
)
from tests.dossiers.conftest import db_snapshot
from tests.dossiers.factories import local, received_dossier, staff, submitted_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    d = received_dossier(at=local(2026, 3, 2, 9))
    d = services.dossier_resolve(dossier=d, actor=staff(d), at=local(2026, 3, 20, 9))
    return services.dossier_deliver(
        dossier=d, actor=staff(d), delivery_channel="counter", at=local(2026, 3, 21, 9)
    )


def test_apology_rating_and_applicant_are_written_with_one_event(closed):
    apology = HistoryApology(
        issued_at=local(2026, 3, 6, 9),
        new_due_at=local(2026, 3, 20, 17),
        reason="Chờ ý kiến cơ quan khác",
    )
    rating = HistoryRating(value="satisfied", at=local(2026, 3, 21, 10))
    entry = HistoryEntry(
        dossier_id=closed.pk,
        applicant={"applicant_name": 'Đỗ Thị "E"\t', "applicant_phone": "0912345678"},
        apologies=[apology],
        ratings=[rating],
    )
    before = closed.events.count()
    assert dossier_history_record(actor=IMPORT, entries=[entry], source="old system") == 1
    dossier = Dossier.objects.get(pk=closed.pk)
    assert dossier.applicant_name == 'Đỗ Thị "E"\t' and dossier.applicant_phone == "0912345678"
    event = dossier.events.order_by("seq").last()
    assert (event.seq, event.type, event.from_state, event.to_state) == (
        before + 1,
        "import",
        dossier.state,
        dossier.state,
    )
    assert event.payload["changed"] == ["applicant", "apologies", "ratings"]
    again = replay(dossier.events.all())
    row = Apology.objects.get(dossier=dossier)
    assert again.apologies == [(row.pk, row.issued_at, row.new_due_at, row.issued_late, row.reason)]
    stored = Rating.objects.get(dossier=dossier)
    assert again.ratings == [(stored.pk, "satisfied", local(2026, 3, 21, 10))]
    assert stored.agency_id == dossier.agency_id
    assert again.applicant == entry.applicant
    assert again.state == dossier.state  # the state is unchanged by the history event


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"applicant": {"applicant_fax": "1"}}, "unknown applicant field"),
        ({"applicant": {"applicant_kind": "robot"}}, "unknown applicant kind"),
        ({"ratings": [HistoryRating(value="great", at=local(2026, 3, 22, 9))]}, "unknown rating"),
        (
            {"apologies": [HistoryApology(local(2026, 3, 6), local(2026, 3, 5), "lý do")]},
            "must be after the letter",
        ),
        ({"apologies": [HistoryApology(local(2026, 3, 6), local(2026, 3, 9), " ")]}, "reason"),
    ],
)
def test_a_bad_entry_writes_nothing(closed, change, message):
    good = HistoryEntry(dossier_id=closed.pk, applicant={"applicant_name": "A"})
    other = received_dossier(at=local(2026, 3, 3, 9))
    snapshot = db_snapshot()
    with pytest.raises(MotcuaError, match=message):
        dossier_history_record(
            actor=IMPORT, entries=[good, HistoryEntry(dossier_id=other.pk, **change)], source="x"
        )
    assert db_snapshot() == snapshot
    assert Dossier.objects.get(pk=closed.pk).applicant_name != "A"


def test_a_second_rating_and_a_dossier_never_received_are_refused(closed):
    services.dossier_rate(
        dossier=closed, actor=PORTAL, value="satisfied", at=local(2026, 3, 21, 11)
    )
    rating = HistoryRating(value="dissatisfied", at=local(2026, 3, 22, 9))
    with pytest.raises(MotcuaError, match="already been rated"):
        dossier_history_record(
            actor=IMPORT, entries=[HistoryEntry(closed.pk, ratings=[rating])], source="x"
        )
    submitted = submitted_dossier(at=local(2026, 3, 3, 9))
    with pytest.raises(MotcuaError, match="never received"):
        dossier_history_record(
            actor=IMPORT, entries=[HistoryEntry(submitted.pk, ratings=[rating])], source="x"
        )
    with pytest.raises(MotcuaError, match="does not exist"):
        dossier_history_record(
            actor=IMPORT,
            entries=[HistoryEntry(10**9, applicant={"applicant_name": "A"})],
            source="x",
        )


def test_only_the_import_and_demo_programs_record_history(closed):
    entry = HistoryEntry(dossier_id=closed.pk, applicant={"applicant_name": "A"})
    for actor in (staff(closed), PORTAL, None):
        with pytest.raises(PermissionDenied):
            dossier_history_record(actor=actor, entries=[entry], source="x")
    assert Dossier.objects.get(pk=closed.pk).applicant_name != "A"
