"""A printed report lists the ``MOTCUA_DOCUMENT_LATE_ROWS`` most overdue dossiers of its late
list, in the list's order, after a sentence with the whole list's count; the report's workbook
(Biểu 06) carries every row of the JSON's late list on a sheet of its own (decisions.md #52)."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from motcua.core.documents import render
from motcua.core.documents.model import Paragraph, Table
from motcua.stats.assembly import build_report
from motcua.stats.reports import build, late
from motcua.stats.reports.formatting import fmt_count
from motcua.stats.sections import most_overdue
from tests.stats.documents_fixtures import seed001_report
from tests.stats.helpers import Spec, agency, at, procedure
from tests.stats.helpers import build as build_dossiers
from tests.stats.test_document_formats import pdf_text, squeeze
from tests.stats.test_documents_levels import docx_texts
from tests.stats.test_identities import history, make, periods, tree  # noqa: F401

# twelve late dossiers in reception order, their due dates shuffled: the most overdue are
# those due on days 1..5, at places 3, 5, 7, 9, 11 of the list (0-based 2, 4, 6, 8, 10)
DUE_DAYS = (9, 12, 1, 10, 2, 11, 3, 8, 4, 7, 5, 6)


def _late_report() -> dict:
    report = seed001_report()
    report["late_list"] = [
        {
            "code": f"H23-{i:02d}",
            "procedure_code": "1.001234",
            "procedure_name": "Cấp Giấy phép kinh doanh bán lẻ rượu",
            "received_at": f"2020-03-{i + 1:02d}T08:00:00+07:00",
            "due_at": f"2020-04-{day:02d}T17:00:00+07:00",
            "closed_at": None,
            "apology": False,
            "note": f"Ghi chú {i:02d}",
        }
        for i, day in enumerate(DUE_DAYS)
    ]
    report["late_list_total"] = len(DUE_DAYS)
    return report


def _late_table(document) -> Table:
    [table] = [b for b in document.blocks if isinstance(b, Table) and b.sheet == late.LATE_SHEET]
    return table


def _sheet(sheet) -> tuple[list, list[tuple]]:
    """The late list's sheet as its header and the rows under it."""
    rows = list(sheet.iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if row[0] == "STT")
    return list(rows[top]), [row for row in rows[top + 1 :] if row[0] is not None]


def _due(item) -> tuple:
    return (item["due_at"] is None, item["due_at"] or "")


def _intro(document) -> str:
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    return next(t for t in texts if "quá hạn" in t and t.startswith("Trong kỳ có"))


@override_settings(MOTCUA_DOCUMENT_LATE_ROWS=5)
def test_the_printed_table_holds_the_n_most_overdue_and_the_sentence_the_whole_count():
    report = _late_report()
    document = build(report, fmt="docx")
    table = _late_table(document)
    printed = [row[1] for row in table.rows]
    assert printed == ["H23-02", "H23-04", "H23-06", "H23-08", "H23-10"]  # in the list's order
    assert [row[0] for row in table.rows] == ["1", "2", "3", "4", "5"]
    assert _intro(document) == (
        f"Trong kỳ có {fmt_count(12)} hồ sơ giải quyết quá hạn hoặc đang quá hạn; "
        f"{fmt_count(5)} hồ sơ quá hạn lâu nhất như sau, danh sách đầy đủ tại trang tính "
        "“Hồ sơ quá hạn” của tệp Biểu số 06 kèm theo báo cáo:"
    )
    others = [item["code"] for item in report["late_list"] if item["code"] not in printed]
    docx = "\n".join(docx_texts(render(document, fmt="docx")))
    assert all(code in docx for code in printed) and not any(code in docx for code in others)
    assert squeeze(_intro(document)) in squeeze(docx)
    if shutil.which("pdftotext"):
        pdf = pdf_text(render(document, fmt="pdf"))
        assert all(code in pdf for code in printed) and not any(code in pdf for code in others)
        assert squeeze(_intro(document)) in squeeze(pdf)


def test_a_short_list_is_printed_whole_with_the_usual_sentence():
    report = _late_report()
    with override_settings(MOTCUA_DOCUMENT_LATE_ROWS=12):
        document = build(report, fmt="pdf")
    assert len(_late_table(document).rows) == 12
    assert _intro(document).endswith("chi tiết như sau:")
    with override_settings(MOTCUA_DOCUMENT_LATE_ROWS=0):  # 0: every row
        assert len(_late_table(build(report, fmt="docx")).rows) == 12


@override_settings(MOTCUA_DOCUMENT_LATE_ROWS=5)
def test_a_capped_json_list_says_how_many_the_workbook_holds():
    report = _late_report()
    report["late_list_total"] = 1766  # the JSON holds the 12 most overdue of them (#51)
    assert _intro(build(report, fmt="docx")) == (
        f"Trong kỳ có {fmt_count(1766)} hồ sơ giải quyết quá hạn hoặc đang quá hạn; "
        f"{fmt_count(5)} hồ sơ quá hạn lâu nhất như sau, {fmt_count(12)} hồ sơ quá hạn lâu nhất "
        "tại trang tính “Hồ sơ quá hạn” của tệp Biểu số 06 kèm theo báo cáo:"
    )


@override_settings(MOTCUA_DOCUMENT_LATE_ROWS=5)
def test_the_workbook_sheet_holds_every_row_in_the_list_order():
    report = _late_report()
    book = load_workbook(io.BytesIO(render(build(report, fmt="xlsx"), fmt="xlsx")))
    header, body = _sheet(book[late.LATE_SHEET])
    assert header == list(late.LATE_SHEET_COLUMNS)
    assert [r[1] for r in body] == [item["code"] for item in report["late_list"]]
    assert [r[8] for r in body] == [item["note"] for item in report["late_list"]]


# --- over the database: the JSON, the documents and the workbook of one report ---


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(history(5), max_size=25), period=periods(), n=st.integers(1, 4))
def test_the_printed_rows_are_the_lists_own_most_late(tree, rows, period, n):  # noqa: F811
    """``most_overdue`` over the JSON's rows picks what the list's own cap (#51, ranked by
    ``sections._late_key`` on the read rows) picks: the same due dates, the same rows when no
    two share the last due date, in the list's order."""
    agencies, proc = tree
    with transaction.atomic():
        make(agencies, proc, rows, [])
        with override_settings(MOTCUA_REPORT_LATE_LIST_MAX=0):
            full = build_report(unit=agencies[0], period=period, children=False, compare=False)
        with override_settings(MOTCUA_REPORT_LATE_LIST_MAX=n):
            capped = build_report(unit=agencies[0], period=period, children=False, compare=False)
        picked = most_overdue(full["late_list"], n)
        chosen = {id(r) for r in picked}  # rows may be equal (no code): by identity
        assert len(chosen) == len(picked) == min(n, len(full["late_list"]))
        in_order = [r for r in full["late_list"] if id(r) in chosen]
        assert [id(r) for r in in_order] == [id(r) for r in picked]  # the list's order
        assert sorted(map(_due, picked)) == sorted(map(_due, capped["late_list"]))
        dues = sorted(map(_due, full["late_list"]))
        if len(dues) <= n or dues[n - 1] != dues[n]:
            assert picked == capped["late_list"]
        transaction.set_rollback(True)


@pytest.fixture
def province_with_late_dossiers():
    root = agency("P", name="Ủy ban nhân dân tỉnh Sơn Lâm")
    dept = agency("S", parent=root, name="Sở Công Thương")
    proc = procedure(code="1.000001", name="Cấp phép")
    start = at(2025, 2, 20, 8)
    specs = [
        Spec(
            dept if i % 2 else root,
            proc,
            start + dt.timedelta(hours=2 * i),
            at(2025, 3, 14, 12) - dt.timedelta(hours=3 * ((i * 17) % 40)),
            code=f"H23-250220-{i:04d}",
            note=f"Ghi chú {i}",
            apology=(at(2025, 3, 10, 9), at(2025, 4, 20, 17)) if i % 5 == 0 else None,
        )
        for i in range(40)
    ]
    build_dossiers(specs)
    return root


@pytest.mark.django_db
def test_the_report_page_offers_the_workbook_with_every_row_of_the_json_late_list(
    province_with_late_dossiers, client, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@x.vn", "x"))
    query = {"unit": province_with_late_dossiers.code, "period": "2025-03"}
    page = client.get(reverse("stats:dashboard"), query).content.decode()
    assert reverse("stats:document", kwargs={"fmt": "xlsx"}) + "?" in page
    data = json.loads(client.get(reverse("stats:document", kwargs={"fmt": "json"}), query).content)
    listed = data["late_list"]
    assert len(listed) == data["late_list_total"] == 40
    response = client.get(reverse("stats:document", kwargs={"fmt": "xlsx"}), query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))[late.LATE_SHEET]
    _header, body = _sheet(sheet)
    assert [r[0] for r in body] == list(range(1, 41))
    assert [r[1] for r in body] == [item["code"] for item in listed]
    assert [r[8] for r in body] == [item["note"] for item in listed]
    assert sum(str(r[6]).startswith("Có (hẹn lại 20/04/2025)") for r in body) == 8
    # the printed report: the default 30 most overdue, the whole count in its sentence
    docx = docx_texts(client.get(reverse("stats:document", kwargs={"fmt": "docx"}), query).content)
    printed = {item["code"] for item in most_overdue(listed, 30)}
    assert len(printed) == 30
    assert {t for t in docx if t.startswith("H23-")} == printed
    assert any(
        t.startswith(f"Trong kỳ có {fmt_count(40)} hồ sơ") and "trang tính" in t for t in docx
    )
