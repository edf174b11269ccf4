"""The monthly round (issue 12): `motcua report-round` and the dashboard's background task.

Every unit's narrative report (DOCX, PDF) and Biểu 06 (XLSX) and a ZIP; idempotent (a second
run writes nothing and gives the same ZIP), resumable after a failure, scoped on the web.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from motcua.accounts.models import Membership, User
from motcua.catalog.choices import Role
from motcua.stats import reports
from motcua.stats.models import ReportRound
from motcua.stats.periods import date_range
from motcua.stats.rounds.writer import MANIFEST, RoundFailed, round_units, write_round
from tests.stats.helpers import Spec, agency, at, build, procedure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MARCH = date_range("2025-03-01", "2025-03-31")
SLUG = "20250301-20250331"


@pytest.fixture
def tree(province):
    """The contract's province with a commune under its first department."""
    root, one, two = province
    commune = agency("000.00.01.H98.01", parent=one, name="Xã Mẫu")
    p = procedure(code="8.000009")
    p.assignments.create(agency=commune)
    build([Spec(commune, p, at(2025, 3, 11, 9), at(2025, 3, 18, 17), "resolved", at(2025, 3, 17))])
    return root, one, two, commune


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("report-round", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def written(tmp_path, **kwargs):
    root = kwargs.pop("root")
    return write_round(root=root, period=MARCH, output=tmp_path, **kwargs)


def test_units_are_the_unit_and_every_agency_below_it_parents_first(tree):
    root, one, two, commune = tree
    assert [u.code for u in round_units(root)] == [root.code, one.code, commune.code, two.code]
    assert [u.code for u in round_units(one)] == [one.code, commune.code]


def test_the_command_writes_every_units_documents_and_a_zip(tree, tmp_path):
    root, one, two, commune = tree
    code, out, err = run("--from", "2025-03-01", "--to", "2025-03-31", "-o", str(tmp_path))
    assert code == 0, err
    assert "4 units (4 written, 0 up to date)" in out
    assert f"4/4 {two.code}" in err  # the progress bar
    folder = tmp_path / SLUG
    with zipfile.ZipFile(tmp_path / f"{SLUG}.zip") as archive:
        names = sorted(archive.namelist())
        for unit in (root, one, two, commune):
            docx = f"{unit.code}_{SLUG}_bao-cao.docx"
            pdf = f"{unit.code}_{SLUG}_bao-cao.pdf"
            xlsx = f"{unit.code}_{SLUG}_bieu-06.xlsx"
            for name in (docx, pdf, xlsx):
                assert f"{SLUG}/{name}" in names
                assert archive.read(f"{SLUG}/{name}") == (folder / name).read_bytes()
            text = "\n".join(p.text for p in Document(folder / docx).paragraphs)
            assert unit.name.upper() in text.upper()
            assert (folder / pdf).read_bytes().startswith(b"%PDF")
            assert load_workbook(folder / xlsx).sheetnames
    assert len(names) == 4 * 3 + 1  # three documents a unit and the manifest
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["root"] == root.code
    assert set(manifest["units"]) == {root.code, one.code, two.code, commune.code}


def test_a_second_run_writes_nothing_and_gives_the_same_zip(tree, tmp_path):
    root = tree[0]
    first = written(tmp_path, root=root)
    before = first.zip_path.read_bytes()
    stamps = {p.name: p.stat().st_mtime_ns for p in first.directory.iterdir()}
    second = written(tmp_path, root=root)
    assert second.written == []
    assert second.skipped == first.units
    assert second.zip_path.read_bytes() == before
    assert {p.name: p.stat().st_mtime_ns for p in second.directory.iterdir()} == stamps


def test_a_changed_unit_is_written_again_with_its_ancestors_only(tree, tmp_path):
    root, one, two, commune = tree
    written(tmp_path, root=root)
    p = procedure(code="8.000010")
    p.assignments.create(agency=commune)
    build([Spec(commune, p, at(2025, 3, 20, 9), at(2025, 3, 27, 17))])
    again = written(tmp_path, root=root)
    assert again.written == [root.code, one.code, commune.code]


def test_a_deleted_or_altered_file_is_written_again(tree, tmp_path):
    root, one, two, commune = tree
    first = written(tmp_path, root=root)
    (first.directory / f"{two.code}_{SLUG}_bao-cao.pdf").unlink()
    (first.directory / f"{one.code}_{SLUG}_bieu-06.xlsx").write_bytes(b"broken")
    again = written(tmp_path, root=root)
    assert sorted(again.written) == sorted([one.code, two.code])


def test_a_failure_names_the_unit_and_the_next_run_resumes(tree, tmp_path, monkeypatch):
    root, one, two, commune = tree
    render = reports.render

    def failing(report, *, fmt, **options):
        if report["unit"]["code"] == two.code and fmt == "pdf":
            raise ValueError("no room left on the device")
        return render(report, fmt=fmt, **options)

    monkeypatch.setattr(reports, "render", failing)
    with pytest.raises(RoundFailed, match=two.code):
        written(tmp_path, root=root)
    assert not (tmp_path / f"{SLUG}.zip").exists()
    manifest = json.loads((tmp_path / SLUG / MANIFEST).read_text())
    assert set(manifest["units"]) == {root.code, one.code, commune.code}
    monkeypatch.setattr(reports, "render", render)
    again = written(tmp_path, root=root)
    assert again.written == [two.code]
    assert again.zip_path.exists()


def test_the_command_exits_1_naming_the_failed_unit(tree, tmp_path, monkeypatch):
    two = tree[2]

    def failing(report, *, fmt, **options):
        raise ValueError(f"cannot render {report['unit']['code']}")

    monkeypatch.setattr(reports, "render", failing)
    code, _, err = run("--period", "2025-03", "--unit", two.code, "-o", str(tmp_path), "--quiet")
    assert code == 1
    assert two.code in err and "cannot render" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2025-03", "--unit", "000.99.99.H98"], "000.99.99.H98"),
        (["--period", "2025-13"], "2025-13"),
        (["--from", "2025-03-31", "--to", "2025-03-01"], "2025-03-01"),
        ([], "2021-10"),
    ],
)
def test_bad_input_exits_2_with_a_message(tree, tmp_path, args, message):
    code, _, err = run(*args, "-o", str(tmp_path), "--quiet")
    assert code == 2
    assert message in err
    assert not any(tmp_path.iterdir())


@pytest.fixture
def committed_levels(transactional_db):
    """The agency levels the migrations create (an earlier transactional test may have flushed
    them), in a database other processes can open."""
    from motcua.catalog.models import AgencyLevel

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the processes need a database they can open: PostgreSQL or a SQLite file")
    for rank, code in enumerate(("province", "provincial_agency", "department", "commune")):
        AgencyLevel.objects.get_or_create(code=code, defaults={"name": code, "rank": rank})


def test_two_processes_write_the_same_documents(committed_levels, tree, tmp_path):
    root = tree[0]
    one = written(tmp_path / "one", root=root)
    two = written(tmp_path / "two", root=root, jobs=2)
    assert sorted(two.written) == sorted(one.written)
    first = json.loads((one.directory / MANIFEST).read_text())["units"]
    second = json.loads((two.directory / MANIFEST).read_text())["units"]
    assert {c: e["figures"] for c, e in first.items()} == {
        c: e["figures"] for c, e in second.items()
    }
    assert sorted(zipfile.ZipFile(two.zip_path).namelist()) == sorted(
        zipfile.ZipFile(one.zip_path).namelist()
    )


# --- the dashboard's background task -------------------------------------------------------


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path


def official(username, unit, role=Role.MONITOR):
    user = User.objects.create_user(username, password="x")
    Membership.objects.create(user=user, agency=unit, role=role)
    return user


MARCH_QUERY = {"kind": "range", "start": "2025-03-01", "end": "2025-03-31"}


def test_the_dashboard_makes_the_round_in_the_background(
    client, tree, immediate_tasks, django_capture_on_commit_callbacks
):
    root, one, two, commune = tree
    client.force_login(official("giamsat", one))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("stats:round_create"), {"unit": one.code, **MARCH_QUERY}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    row = ReportRound.objects.get()
    assert (row.unit, row.status, row.done, row.total) == (one, "done", 2, 2)
    progress = client.get(reverse("stats:round", args=[row.pk]))
    html = progress.content.decode()
    assert reverse("stats:round_zip", args=[row.pk]) in html
    assert "hx-trigger" not in html  # finished: no more polling
    download = client.get(reverse("stats:round_zip", args=[row.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert len(names) == 2 * 3 + 1
    assert all(one.code in n or commune.code in n for n in names if not n.endswith(MANIFEST))
    dashboard = client.get(reverse("stats:dashboard"), {"unit": one.code, **MARCH_QUERY})
    assert reverse("stats:round_zip", args=[row.pk]) in dashboard.content.decode()


def test_a_round_still_waiting_is_not_asked_for_twice(client, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the database backend: nothing runs in the test
    one = tree[1]
    client.force_login(official("giamsat", one))
    for _ in range(2):
        response = client.post(reverse("stats:round_create"), {"unit": one.code, **MARCH_QUERY})
        assert response.status_code == 302
    row = ReportRound.objects.get()
    assert row.status == "queued"
    html = client.get(reverse("stats:round", args=[row.pk])).content.decode()
    assert "hx-trigger" in html  # polled while it waits
    assert client.get(reverse("stats:round_zip", args=[row.pk])).status_code == 404


def test_rounds_are_scoped_to_the_units_the_user_may_see(
    client, tree, immediate_tasks, django_capture_on_commit_callbacks
):
    root, one, two, commune = tree
    client.force_login(official("giamsat", one))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("stats:round_create"), {"unit": one.code, **MARCH_QUERY})
    row = ReportRound.objects.get()
    client.force_login(official("khac", two))
    assert client.get(reverse("stats:round", args=[row.pk])).status_code == 404
    assert client.get(reverse("stats:round_zip", args=[row.pk])).status_code == 404
    refused = client.post(reverse("stats:round_create"), {"unit": one.code, **MARCH_QUERY})
    assert refused.status_code == 400
    assert ReportRound.objects.count() == 1
    for odd in ("0", "¹", "9223372036854775808", "x"):
        assert client.get(f"/stats/rounds/{odd}/").status_code == 404


def test_anonymous_users_are_sent_to_the_login(client, tree):
    response = client.post(reverse("stats:round_create"), {"unit": tree[0].code, **MARCH_QUERY})
    assert response.status_code == 302 and "login" in response["Location"]


def test_each_units_index_annex_is_computed_once_for_its_docx_and_xlsx(tree, monkeypatch):
    from motcua.stats.annexes import document_annexes, formats_annexes
    from motcua.stats.assembly import consolidated_report
    from motcua.stats.periods import parse_period
    from motcua.stats.service_index import scoring

    commune = tree[3]
    month = parse_period("2025-03")
    report = consolidated_report(unit=commune, period=month, children=True)
    computed = []
    compute = scoring.compute_index
    monkeypatch.setattr(
        scoring, "compute_index", lambda **kw: computed.append(kw["unit"].code) or compute(**kw)
    )
    together = formats_annexes(
        report=report, unit=commune, period=month, formats=["docx", "pdf", "xlsx"]
    )
    assert computed == [commune.code]
    assert together["docx"]["index_annex"] is together["xlsx"]["index_annex"]
    assert together["docx"]["index_annex"]["unit"]["code"] == commune.code
    assert together["pdf"]["index_annex"] is None
    for fmt in ("docx", "pdf", "xlsx"):  # the same as one format at a time
        alone = document_annexes(report=report, unit=commune, period=month, fmt=fmt)
        assert json.dumps(alone, sort_keys=True, default=str) == json.dumps(
            together[fmt], sort_keys=True, default=str
        )
    computed.clear()
    with tempfile.TemporaryDirectory() as folder:
        write_round(root=commune, period=month, output=Path(folder))
    assert computed == [commune.code]
