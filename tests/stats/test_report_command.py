"""`motcua report` per interchange.md: JSON of statistics.md §5 on stdout, exit 2 on bad input."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from motcua.stats.counters import ALL_COUNTERS
from motcua.stats.identities import check_identities, get

pytestmark = pytest.mark.django_db

RATE_KEYS = {
    "on_time_of_resolved",
    "on_time_of_due",
    "late_of_due",
    "returned_of_due",
    "online_of_new",
    "postal_of_new",
    "very_satisfied",
}
TOP_KEYS = {
    "unit",
    "period",
    "received",
    "resolved",
    "refused",
    "withdrawn",
    "stopped",
    "pending",
    "due",
    "delivered",
    "one_way",
    "ratings",
    "rates",
    "late_list",
    "children",
}
LATE_KEYS = {"code", "procedure_code", "received_at", "due_at", "closed_at", "apology"}


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("report", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def check_shape(rep):
    assert set(rep) >= TOP_KEYS
    for key in ALL_COUNTERS:
        value = get(rep, key)
        assert isinstance(value, int) and not isinstance(value, bool), key
    assert set(rep["rates"]) >= RATE_KEYS
    for value in rep["rates"].values():
        assert value is None or isinstance(value, float | int)
    for row in rep["late_list"]:
        assert set(row) >= LATE_KEYS


def test_json_report_with_children(province):
    code, out, err = run(
        "--unit",
        "000.00.00.H98",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-31",
        "--children",
        "--format",
        "json",
    )
    assert code == 0, err
    rep = json.loads(out)
    check_shape(rep)
    # §5's keys, plus what the documents need to name the issuer (more keys are allowed)
    assert (rep["unit"]["code"], rep["unit"]["name"]) == ("000.00.00.H98", "Tỉnh Mẫu")
    assert rep["unit"]["level"]["code"] == "province" and rep["unit"]["parent"] is None
    assert rep["period"] == {"start": "2025-03-01", "end": "2025-03-31"}
    assert (rep["received"]["carried_over"], rep["received"]["new"], rep["received"]["total"]) == (
        1,
        6,
        7,
    )
    assert rep["resolved"] == {"total": 3, "early": 1, "on_time": 1, "late": 1}
    assert rep["pending"] == {"total": 2, "not_due": 1, "overdue": 1, "awaiting_supplement": 0}
    assert rep["rates"]["on_time_of_resolved"] == 66.67
    assert rep["rates"]["online_of_new"] == 33.33
    assert rep["ratings"] == {"very_satisfied": 2, "satisfied": 0, "dissatisfied": 1}
    late = {r["code"]: r for r in rep["late_list"]}
    assert set(late) == {"000.00.01.H98-250304-0001", "000.00.01.H98-250320-0001"}
    assert late["000.00.01.H98-250304-0001"]["apology"] is True
    assert late["000.00.01.H98-250304-0001"]["apology_new_due_at"] == "2025-03-13T17:00:00+07:00"
    assert late["000.00.01.H98-250320-0001"]["closed_at"] is None
    assert late["000.00.01.H98-250320-0001"]["apology"] is False
    assert late["000.00.01.H98-250304-0001"]["received_at"] == "2025-03-04T09:00:00+07:00"
    kids = {c["unit"]["code"]: c for c in rep["children"]}
    assert sorted(kids) == ["000.00.01.H98", "000.00.02.H98"]
    for kid in kids.values():
        check_shape(kid)
    assert (kids["000.00.02.H98"]["refused"], kids["000.00.02.H98"]["one_way"]["total"]) == (1, 1)
    assert len(kids["000.00.01.H98"]["late_list"]) == 2 and kids["000.00.02.H98"]["late_list"] == []
    assert check_identities(rep) == []
    # §4 extras
    assert rep["coverage"]["postal"] == {"registered": 1, "with_dossiers": 1, "rate": 100.0}
    assert rep["rankings"]["by_received_new"][0]["code"] == "000.00.01.H98"
    assert rep["units_below_threshold"]["fewer"][0]["received_new"] == 3
    assert rep["comparison"]["period"] == {"start": "2025-01-29", "end": "2025-02-28"}
    assert rep["comparison"]["counters"]["received.new"] == {
        "current": 6,
        "previous": 2,
        "change": 4,
    }


def test_json_report_by_named_period(province):
    code, out, err = run("--unit", "000.00.01.H98", "--period", "2025-03", "--cutoff", "0")
    assert code == 0, err
    rep = json.loads(out)
    assert rep["period"] == {"start": "2025-03-01", "end": "2025-03-31"}
    assert rep["children"] == []
    assert rep["comparison"]["period"] == {"start": "2025-02-01", "end": "2025-02-28"}


def test_output_file(province, tmp_path):
    target = tmp_path / "r.json"
    code, out, _ = run(
        "--unit", "000.00.00.H98", "--period", "2025-03", "--cutoff", "0", "-o", str(target)
    )
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["received"]["new"] == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "NO-SUCH-UNIT", "--from", "2025-03-01", "--to", "2025-03-31"], "NO-SUCH-UNIT"),
        (["--unit", "000.00.00.H98", "--from", "2025-03-31", "--to", "2025-03-01"], "2025-03-01"),
        (["--unit", "000.00.00.H98", "--from", "2025-03-01"], "end"),
        (["--unit", "000.00.00.H98", "--period", "2025-13"], "2025-13"),
        (["--unit", "000.00.00.H98", "--from", "2025-03-01", "--to", "31.03.2025"], "31.03.2025"),
        (["--unit", "000.00.00.H98", "--period", "2025-03", "--from", "2025-03-01"], "not both"),
    ],
)
def test_bad_input_exits_2_with_a_message(province, args, message, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert message in err


def test_document_formats_go_through_the_renderer(province, tmp_path, monkeypatch):
    import motcua.stats.reports as reports

    seen = {}

    def fake_render(report, *, fmt, **options):
        seen["fmt"], seen["unit"] = fmt, report["unit"]["code"]
        seen["annex"] = options["index_annex"]["unit"]["code"]  # a month: the 766 annex
        seen["options"] = sorted(options)  # the audit digests' annex (tests/ops)
        return b"DOC"

    monkeypatch.setattr(reports, "render", fake_render, raising=False)
    target = tmp_path / "r.docx"
    code, _, err = run(
        "--unit",
        "000.00.00.H98",
        "--period",
        "2025-03",
        "--cutoff",
        "0",
        "--format",
        "docx",
        "-o",
        str(target),
    )
    assert code == 0, err
    assert target.read_bytes() == b"DOC" and seen == {
        "fmt": "docx",
        "unit": "000.00.00.H98",
        "annex": "000.00.00.H98",
        "options": ["audit_annex", "index_annex"],
    }


def test_the_form_06_workbook_has_a_row_per_field(province, tmp_path):
    from openpyxl import load_workbook

    from motcua.catalog.models import Procedure

    target = tmp_path / "bieu06.xlsx"
    code, _, err = run(
        "--unit",
        "000.00.00.H98",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-31",
        "--children",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    assert code == 0, err
    cells = {
        str(cell.value)
        for row in load_workbook(target).active.iter_rows()
        for cell in row
        if cell.value is not None
    }
    fields = set(Procedure.objects.filter(one_way=False).values_list("field__name", flat=True))
    assert fields and fields <= cells
