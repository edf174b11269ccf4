"""`motcua export dossiers`: the import's format; export then import changes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from motcua.dossiers.interchange import export_dossiers, import_dossier_records, import_dossiers
from motcua.dossiers.models import Dossier, DossierEvent
from tests.dossiers.test_import_dossiers import COLUMNS, catalogue, record  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(catalogue):  # noqa: F811
    import_dossier_records(
        [
            record(),
            record(
                channel="online",
                received_at="2025-03-04T09:00:00+07:00",
                outcome="resolved",
                closed_at="2025-03-10T10:00:00+07:00",
                delivered_at="2025-03-11T09:00:00+07:00",
                delivery_channel="postal",
                supplement_requested_at="2025-03-05T09:00:00+07:00",
                supplement_received_at="2025-03-06T09:00:00+07:00",
            ),
            record(
                agency_code="B.H98",
                receiving_unit_code="A.H98",
                procedure_code="8.000002",
                channel="postal",
                received_at="2025-03-05T10:00:00+07:00",
                supplement_requested_at="2025-03-05T11:00:00+07:00",
            ),
            record(agency_code="B.H98", procedure_code="8.000003", channel="online"),
        ]
    )


def exported() -> list[dict[str, str]]:
    out = io.StringIO()
    count = export_dossiers(out=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(rows)
    return rows


def test_export_writes_exactly_the_import_columns(imported):
    out = io.StringIO()
    export_dossiers(out=out)
    assert out.getvalue().splitlines()[0].split(",") == COLUMNS
    rows = {row["procedure_code"] + row["channel"]: row for row in exported()}
    assert len(rows) == Dossier.objects.count()
    online = rows["8.000001online"]
    assert online["online_class"] == "full"
    assert online["supplement_requested_at"] == "2025-03-05T09:00:00+07:00"
    assert (online["outcome"], online["delivery_channel"]) == ("resolved", "postal")
    waiting = rows["8.000002postal"]
    assert waiting["receiving_unit_code"] == "A.H98"
    assert (waiting["outcome"], waiting["supplement_received_at"]) == ("pending", "")
    filed = rows["8.000003online"]
    assert (filed["outcome"], filed["due_at"]) == ("resolved", "")
    assert rows["8.000001direct"]["online_class"] == ""


def test_export_then_import_changes_nothing(imported, tmp_path):
    before = list(Dossier.objects.order_by("id").values())
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        export_dossiers(out=out)
    result = import_dossiers(path=path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(before))
    assert list(Dossier.objects.order_by("id").values()) == before
    assert DossierEvent.objects.count() == len(before)


def test_the_export_command_writes_the_file(imported, capsys):
    call_command("export", "dossiers")
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == Dossier.objects.count() + 1
