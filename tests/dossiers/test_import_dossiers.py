"""`motcua import dossiers` and `import_dossier_records` (interchange.md, "Dossiers")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from motcua.catalog.choices import OnlineClass, TimeUnit
from motcua.core.csvio import parse_instant
from motcua.core.errors import ImportFailed
from motcua.dossiers.codes import allocate_code
from motcua.dossiers.interchange import import_dossier_records, import_dossiers
from motcua.dossiers.models import Dossier, DossierCodeSequence, DossierEvent, SupplementWait
from motcua.worktime.selectors import calendar_for_agency
from tests.catalog.factories import AgencyFactory, ProcedureAssignmentFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "code,agency_code,receiving_unit_code,procedure_code,channel,online_class,received_at,due_at,"
    "outcome,closed_at,supplement_requested_at,supplement_received_at,delivered_at,delivery_channel"
)
COLUMNS = HEADER.split(",")


@pytest.fixture
def catalogue(db):
    """Two agencies; a 5-working-day procedure (online class full at A, registered for post), a
    4-hour one, a one-way."""
    a = AgencyFactory(code="A.H98")
    b = AgencyFactory(code="B.H98")
    days = ProcedureFactory(
        code="8.000001",
        processing_time=Decimal(5),
        online_class=OnlineClass.PARTIAL,
        postal_reception=True,
        postal_return=True,
    )
    hours = ProcedureFactory(
        code="8.000002", processing_time=Decimal(4), time_unit=TimeUnit.WORKING_HOURS
    )
    one_way = ProcedureFactory(code="8.000003", processing_time=None, one_way=True)
    ProcedureAssignmentFactory(procedure=days, agency=a, online_class=OnlineClass.FULL)
    ProcedureAssignmentFactory(procedure=hours, agency=b)
    ProcedureAssignmentFactory(procedure=one_way, agency=b)
    return {"a": a, "b": b, "days": days, "hours": hours, "one_way": one_way}


def record(**cells: str) -> dict[str, str]:
    row = {
        "agency_code": "A.H98",
        "procedure_code": "8.000001",
        "channel": "direct",
        "received_at": "2025-03-03T09:00:00+07:00",
        "outcome": "pending",
    }
    row.update(cells)
    return row


def csv_text(*records: dict[str, str]) -> str:
    lines = [HEADER]
    for rec in records:
        lines.append(",".join(rec.get(c, "") for c in COLUMNS))
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dossiers.csv"
    path.write_text(text, encoding="utf-8")
    return path


def database_state() -> tuple:
    return (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        SupplementWait.objects.count(),
        list(DossierCodeSequence.objects.values_list("agency_id", "day", "last")),
    )


def test_file_import_creates_dossiers_with_computed_due_and_generated_codes(catalogue, tmp_path):
    path = write(
        tmp_path,
        csv_text(
            record(),
            record(
                code="A.H98-250304-0001",
                channel="online",
                received_at="2025-03-04T09:00:00+07:00",
                due_at="2025-03-11T17:00:00+07:00",
                outcome="resolved",
                closed_at="2025-03-10T10:00:00+07:00",
                delivered_at="2025-03-11T09:00:00+07:00",
                delivery_channel="postal",
            ),
            record(
                agency_code="B.H98",
                receiving_unit_code="A.H98",
                procedure_code="8.000002",
                received_at="2025-03-05T16:00:00",
                outcome="refused",
                closed_at="2025-03-06",
            ),
        ),
    )
    result = import_dossiers(path=path)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)

    pending = Dossier.objects.get(code="A.H98-250303-0001")
    calendar = calendar_for_agency(agency_id=catalogue["a"].pk)
    received = parse_instant("2025-03-03T09:00:00+07:00")
    assert pending.due_at == calendar.due_for_reception(received, Decimal(5), "working_days")
    assert (pending.state, pending.outcome, pending.closed_at) == ("in_process", "", None)
    assert pending.online_class == OnlineClass.NONE
    assert pending.imported and pending.processing_time == Decimal(5)

    delivered = Dossier.objects.get(code="A.H98-250304-0001")
    assert delivered.state == "delivered" and delivered.outcome == "resolved"
    assert delivered.online_class == OnlineClass.FULL  # the assignment's class
    assert delivered.due_at == parse_instant("2025-03-11T17:00:00+07:00")

    # Received at A for B: the code is the receiving unit's; the due counts 4 working hours.
    refused = Dossier.objects.get(agency=catalogue["b"])
    assert refused.code == "A.H98-250305-0001"
    assert refused.receiving_unit == catalogue["a"]
    local = parse_instant("2025-03-05T16:00:00+07:00")
    assert refused.due_at == calendar.due_for_reception(local, Decimal(4), "working_hours")
    assert (refused.state, refused.outcome) == ("refused", "refused")

    for dossier in Dossier.objects.all():
        events = list(dossier.events.all())
        assert [(e.seq, e.type, e.to_state) for e in events] == [(1, "import", dossier.state)]
        assert events[0].payload["source"] == "dossiers.csv"


def test_importing_twice_changes_nothing(catalogue, tmp_path):
    rows = [
        record(),
        record(code="X-1", received_at="2025-03-04T10:00:00+07:00"),
        record(
            received_at="2025-03-05T10:00:00+07:00",
            supplement_requested_at="2025-03-06T10:00:00+07:00",
        ),
    ]
    path = write(tmp_path, csv_text(*rows))
    import_dossiers(path=path)
    before = list(Dossier.objects.order_by("id").values())
    result = import_dossiers(path=path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Dossier.objects.order_by("id").values()) == before
    assert DossierEvent.objects.count() == 3


def test_a_changed_row_updates_its_dossier_with_one_more_event(catalogue):
    import_dossier_records([record(code="X-1")])
    result = import_dossier_records(
        [record(code="X-1", outcome="withdrawn", closed_at="2025-03-04T08:00:00+07:00")]
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    dossier = Dossier.objects.get(code="X-1")
    assert (dossier.state, dossier.outcome) == ("withdrawn", "withdrawn")
    events = list(dossier.events.values_list("seq", "from_state", "to_state"))
    assert events == [(1, "", "in_process"), (2, "in_process", "withdrawn")]


def test_a_row_without_code_is_matched_on_agency_procedure_channel_and_time(catalogue):
    import_dossier_records([record()])
    result = import_dossier_records(
        [record(received_at="2025-03-03T02:00:00Z", outcome="stopped", closed_at="2025-03-04")]
    )
    assert (result.created, result.updated) == (0, 1)
    assert Dossier.objects.get().state == "stopped"


def test_codes_never_collide_with_later_counter_receptions(catalogue):
    import_dossier_records(
        [record(code="A.H98-250303-0007"), record(received_at="2025-03-03T10:00:00+07:00")]
    )
    generated = Dossier.objects.exclude(code="A.H98-250303-0007").get().code
    assert generated == "A.H98-250303-0008"
    with transaction.atomic():
        following = allocate_code(agency=catalogue["a"], day=dt.date(2025, 3, 3))
    assert following == "A.H98-250303-0009"


def test_completed_supplement_wait_moves_the_computed_due(catalogue, settings):
    settings.MOTCUA_SUPPLEMENT_RULE = "resume"
    import_dossier_records(
        [
            record(
                code="S-1",
                supplement_requested_at="2025-03-04T09:00:00+07:00",
                supplement_received_at="2025-03-06T09:00:00+07:00",
            )
        ]
    )
    dossier = Dossier.objects.get()
    calendar = calendar_for_agency(agency_id=catalogue["a"].pk)
    base = calendar.due_for_reception(
        parse_instant("2025-03-03T09:00:00+07:00"), Decimal(5), "working_days"
    )
    expected = calendar.resume_due(
        base, parse_instant("2025-03-04T09:00:00+07:00"), parse_instant("2025-03-06T09:00:00+07:00")
    )
    assert expected > base
    assert dossier.due_at == expected
    wait = dossier.supplement_waits.get()
    assert (wait.due_before, wait.due_after) == (base, expected)
    assert dossier.state == "in_process" and dossier.paused_at is None


def test_restart_rule_counts_the_full_time_again(catalogue, settings):
    settings.MOTCUA_SUPPLEMENT_RULE = "restart"
    import_dossier_records(
        [
            record(
                supplement_requested_at="2025-03-04T09:00:00+07:00",
                supplement_received_at="2025-03-10T09:00:00+07:00",
            )
        ]
    )
    calendar = calendar_for_agency(agency_id=catalogue["a"].pk)
    resumed = parse_instant("2025-03-10T09:00:00+07:00")
    assert Dossier.objects.get().due_at == calendar.due_for_reception(
        resumed, Decimal(5), "working_days"
    )


def test_open_supplement_wait_stops_the_clock(catalogue):
    import_dossier_records([record(supplement_requested_at="2025-03-04T09:00:00+07:00")])
    dossier = Dossier.objects.get()
    assert dossier.state == "awaiting_supplement"
    assert dossier.paused_at == parse_instant("2025-03-04T09:00:00+07:00")
    assert dossier.supplement_waits.get().received_at is None


def test_one_way_rows_are_filed(catalogue):
    import_dossier_records(
        [
            record(agency_code="B.H98", procedure_code="8.000003", outcome="pending"),
            record(
                agency_code="B.H98",
                procedure_code="8.000003",
                channel="online",
                received_at="2025-03-04T09:00:00+07:00",
                outcome="resolved",
                closed_at="2025-03-04T09:05:00+07:00",
            ),
        ]
    )
    rows = list(
        Dossier.objects.order_by("received_at").values_list(
            "state", "outcome", "closed_at", "due_at", "one_way"
        )
    )
    assert rows == [
        ("filed", "filed", parse_instant("2025-03-03T09:00:00+07:00"), None, True),
        ("filed", "filed", parse_instant("2025-03-04T09:05:00+07:00"), None, True),
    ]


def test_records_accept_datetimes_and_name_unknown_keys(catalogue):
    result = import_dossier_records(
        [record(received_at=dt.datetime(2025, 3, 3, 9, 0), due_at=None)], source="demo"
    )
    assert result.created == 1
    assert DossierEvent.objects.get().payload["source"] == "demo"
    with pytest.raises(ImportFailed) as failed:
        import_dossier_records([record(colour="red")])
    assert [(e.row, e.column) for e in failed.value.errors] == [(2, "colour")]


BAD_ROWS = [
    ({"agency_code": "NOPE"}, "agency_code"),
    ({"agency_code": ""}, "agency_code"),
    ({"receiving_unit_code": "NOPE"}, "receiving_unit_code"),
    ({"procedure_code": "9.999999"}, "procedure_code"),
    ({"channel": "fax"}, "channel"),
    ({"channel": "online", "online_class": "level9"}, "online_class"),
    ({"online_class": "full"}, "online_class"),
    ({"received_at": "yesterday"}, "received_at"),
    ({"received_at": ""}, "received_at"),
    ({"due_at": "2025-02-30"}, "due_at"),
    ({"due_at": "2025-03-01"}, "due_at"),
    ({"outcome": "lost"}, "outcome"),
    ({"outcome": "resolved"}, "closed_at"),
    ({"closed_at": "2025-03-04"}, "closed_at"),
    ({"outcome": "refused", "closed_at": "2025-03-02"}, "closed_at"),
    ({"delivered_at": "2025-03-05"}, "delivered_at"),
    (
        {"outcome": "resolved", "closed_at": "2025-03-05", "delivered_at": "2025-03-04"},
        "delivered_at",
    ),
    ({"delivery_channel": "pigeon"}, "delivery_channel"),
    ({"supplement_received_at": "2025-03-04"}, "supplement_received_at"),
    ({"supplement_requested_at": "2025-03-01"}, "supplement_requested_at"),
    (
        {
            "outcome": "refused",
            "closed_at": "2025-03-05",
            "supplement_requested_at": "2025-03-06",
        },
        "supplement_requested_at",
    ),
    (
        {"supplement_requested_at": "2025-03-05", "supplement_received_at": "2025-03-04"},
        "supplement_received_at",
    ),
    (
        {
            "agency_code": "B.H98",
            "procedure_code": "8.000003",
            "supplement_requested_at": "2025-03-04",
        },
        "supplement_requested_at",
    ),
    ({"code": "x" * 65}, "code"),
]


@pytest.mark.parametrize(("cells", "column"), BAD_ROWS)
def test_a_bad_row_rejects_the_file_naming_row_and_column(catalogue, tmp_path, cells, column):
    good = record(code="G-1", received_at="2025-03-02T10:00:00+07:00")
    path = write(tmp_path, csv_text(good, record(**cells)))
    before = database_state()
    with pytest.raises(ImportFailed) as failed:
        import_dossiers(path=path)
    assert (3, column) in [(e.row, e.column) for e in failed.value.errors]
    assert database_state() == before


def test_every_error_is_listed(catalogue):
    with pytest.raises(ImportFailed) as failed:
        import_dossier_records([record(channel="fax"), record(), record(outcome="x")])
    assert [(e.row, e.column) for e in failed.value.errors] == [(2, "channel"), (4, "outcome")]


def test_duplicates_inside_the_file_are_rejected(catalogue):
    with pytest.raises(ImportFailed) as failed:
        import_dossier_records(
            [record(code="D-1"), record(code="D-1", received_at="2025-03-04"), record(), record()]
        )
    assert [(e.row, e.column) for e in failed.value.errors] == [(3, "code"), (5, "received_at")]
    assert Dossier.objects.count() == 0


def test_a_code_of_another_agency_is_rejected(catalogue):
    import_dossier_records([record(code="D-1")])
    with pytest.raises(ImportFailed) as failed:
        import_dossier_records([record(code="D-1", agency_code="B.H98", procedure_code="8.000002")])
    assert "A.H98" in str(failed.value)
    assert Dossier.objects.get().agency == catalogue["a"]


def test_the_command_exits_2_and_names_the_column(catalogue, tmp_path, capsys):
    path = write(tmp_path, csv_text(record(), record(channel="fax")))
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "dossiers", str(path))
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "row 3, column 'channel'" in err
    assert Dossier.objects.count() == 0


def test_unknown_and_missing_columns_are_rejected(catalogue, tmp_path):
    path = write(tmp_path, "agency_code,procedure_code,channel,received_at,colour\n")
    with pytest.raises(ImportFailed) as failed:
        import_dossiers(path=path)
    assert {(e.row, e.column) for e in failed.value.errors} == {(1, "colour"), (1, "outcome")}


def test_codes_continue_a_counter_the_reception_desk_started(catalogue):
    with transaction.atomic():
        first = allocate_code(agency=catalogue["a"], day=dt.date(2025, 3, 3))
    import_dossier_records([record(), record(received_at="2025-03-03T10:00:00+07:00")])
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert first == "A.H98-250303-0001"
    assert codes == ["A.H98-250303-0002", "A.H98-250303-0003"]
    assert DossierCodeSequence.objects.get(agency=catalogue["a"]).last == 3


def test_special_characters_are_stored_exactly(catalogue):
    code = 'Mã\\01\t"hồ sơ"\nN'
    import_dossier_records([record(code=code)], source="tệp\\nguồn\t1")
    dossier = Dossier.objects.get()
    assert dossier.code == code
    payload = dossier.events.get().payload
    assert payload["source"] == "tệp\\nguồn\t1"
    assert payload["columns"]["code"] == code
    assert import_dossier_records([record(code=code)]).unchanged == 1


def test_the_events_alone_rebuild_imported_dossiers(catalogue):
    from motcua.dossiers.replay import replay

    import_dossier_records(
        [
            record(code="R-1"),
            record(
                received_at="2025-03-04T09:00:00+07:00",
                outcome="resolved",
                closed_at="2025-03-10T10:00:00+07:00",
                delivered_at="2025-03-11T09:00:00+07:00",
            ),
            record(
                received_at="2025-03-05T09:00:00+07:00",
                supplement_requested_at="2025-03-06T09:00:00+07:00",
            ),
        ]
    )
    import_dossier_records([record(code="R-1", outcome="stopped", closed_at="2025-03-07")])
    fields = ("state", "code", "agency_id", "received_at", "due_at", "paused_at", "closed_at")
    fields += ("delivered_at", "outcome", "processing_time", "time_unit")
    for dossier in Dossier.objects.all():
        rebuilt = replay(dossier.events.all())
        assert {f: getattr(rebuilt, f) for f in fields} == {f: getattr(dossier, f) for f in fields}
