"""The Vietnamese text of a report, from its figures (pure functions)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from motcua.stats.rates import shares
from motcua.stats.reports import narrative
from tests.stats.documents_fixtures import counters, seed001_report


def vn_int(n: int) -> str:
    """Independent of the code under test: 1766 -> "1.766"."""
    return f"{n:,}".replace(",", ".")


def vn_count(n: int) -> str:
    return f"{n:02d}" if 0 < n < 10 else vn_int(n)


def vn_pct(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",") + "%"


def pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def report():
    return seed001_report()


def test_results_paragraph_writes_the_figures_as_the_seeds_do(report):
    text = narrative.results_paragraph(report)
    rec, res, pen = report["received"], report["resolved"], report["pending"]
    ch = rec["by_channel"]
    assert text.startswith(
        f"Tổng số hồ sơ tiếp nhận trong kỳ là {vn_int(rec['total'])} hồ sơ, trong đó kỳ trước "
        f"chuyển sang là {vn_int(rec['carried_over'])} hồ sơ, tiếp nhận mới là "
        f"{vn_int(rec['new'])} hồ sơ"
    )
    s_online, s_direct, s_postal = shares([ch["online"], ch["direct"], ch["postal"]])
    assert (
        f"tiếp nhận trực tuyến {vn_int(ch['online'])} hồ sơ (chiếm tỷ lệ {vn_pct(s_online)}" in text
    )
    assert (
        f"tiếp nhận trực tiếp {vn_int(ch['direct'])} hồ sơ (chiếm tỷ lệ {vn_pct(s_direct)})" in text
    )
    assert (
        f"bưu chính công ích {vn_int(ch['postal'])} hồ sơ (chiếm tỷ lệ {vn_pct(s_postal)})" in text
    )
    early, on_time, late = shares([res["early"], res["on_time"], res["late"]])
    assert (
        f"đã giải quyết {vn_int(res['total'])} hồ sơ, trong đó {vn_int(res['early'])} hồ sơ "
        f"trước hạn (chiếm tỷ lệ {vn_pct(early)}), {vn_int(res['on_time'])} hồ sơ đúng hạn "
        f"(chiếm tỷ lệ {vn_pct(on_time)}), {vn_count(res['late'])} hồ sơ quá hạn "
        f"(chiếm tỷ lệ {vn_pct(late)})"
    ) in text
    in_time = pct(res["early"] + res["on_time"], res["total"])
    assert f"tỷ lệ giải quyết đúng và trước hạn đạt {vn_pct(in_time)}" in text
    assert f"còn {vn_int(pen['total'])} hồ sơ đang giải quyết" in text
    waiting = vn_count(pen["awaiting_supplement"])
    assert f"{vn_count(pen['overdue'])} hồ sơ quá hạn ({waiting} hồ sơ đang chờ bổ sung)." in text
    # the seeds' forms: thousands dot, decimal comma, two digits under ten
    assert "1.766" in text and "99,77%" in text and "04 hồ sơ quá hạn" in text


def test_shares_of_one_whole_add_up_to_exactly_100(report):
    text = narrative.resolution_sentence(report)
    printed = [
        Decimal(part.split("chiếm tỷ lệ ")[1].split("%")[0].replace(",", "."))
        for part in text.split("(")[1:4]
    ]
    assert sum(printed) == Decimal(100)


def test_zero_counts_do_not_divide():
    empty = counters(carried_over=0, online=0, direct=0, postal=0, early=0, on_time=0, late=0)
    text = narrative.results_paragraph(empty)
    assert "tiếp nhận mới là 0 hồ sơ" in text
    assert "chiếm" not in text
    assert narrative.satisfaction_sentence(empty).startswith("Trong kỳ chưa có lượt đánh giá")


def test_satisfaction_sentence(report):
    very, sat, dis = (report["ratings"][k] for k in ("very_satisfied", "satisfied", "dissatisfied"))
    s_very, s_sat, _ = shares([very, sat, dis])
    text = narrative.satisfaction_sentence(report)
    assert f"Trong kỳ có {vn_int(very + sat + dis)} lượt người dân, tổ chức đánh giá" in text
    assert f"Rất hài lòng: {vn_int(very)} lượt (chiếm {vn_pct(s_very)})" in text
    assert f"Hài lòng: {vn_count(sat)} lượt (chiếm {vn_pct(s_sat)})" in text


def test_comparison_as_build_report_gives_it(report):
    previous_new = report["received"]["new"] - 120
    previous_resolved = report["resolved"]["total"] + 30
    report["comparison"] = {
        "counters": {
            "received.new": {"previous": previous_new},
            "resolved.total": {"previous": previous_resolved},
            "pending.overdue": {"previous": report["pending"]["overdue"]},
        },
        "rates": {"on_time_of_resolved": {"previous": 98.5}},
    }
    text = narrative.comparison_paragraph(report)
    assert f"số hồ sơ tiếp nhận mới tăng 120 hồ sơ ({vn_pct(pct(120, previous_new))})" in text
    assert f"số hồ sơ đã giải quyết giảm 30 hồ sơ ({vn_pct(pct(30, previous_resolved))})" in text
    assert "số hồ sơ quá hạn đang giải quyết không thay đổi" in text
    in_time = shares([report["resolved"]["early"] + report["resolved"]["on_time"], 4])[0]
    points = vn_pct(in_time - Decimal("98.5")).removesuffix("%")
    assert f"tỷ lệ giải quyết đúng và trước hạn tăng {points} điểm phần trăm" in text


def test_comparison_absent_gives_nothing(report):
    assert narrative.comparison_paragraph(report) is None


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2020-04-01", "2020-04-30", "tháng 4 năm 2020"),
        ("2020-03-15", "2020-04-14", "tháng 4 năm 2020 (từ ngày 15/03/2020 đến ngày 14/04/2020)"),
        ("2021-09-21", "2021-10-20", "tháng 10 năm 2021 (từ ngày 21/09/2021"),
        ("2020-04-01", "2020-06-30", "quý II năm 2020"),
        ("2019-12-15", "2020-06-14", "6 tháng đầu năm 2020 ("),
        ("2020-01-01", "2020-12-31", "năm 2020"),
        ("2020-01-01", "2020-12-07", "từ ngày 01/01/2020 đến ngày 07/12/2020"),
    ],
)
def test_period_text(start, end, expected):
    assert narrative.period_text({"period": {"start": start, "end": end}}).startswith(expected)


def test_legal_basis_follows_the_period():
    old = narrative.legal_basis({"period": {"start": "2020-04-01", "end": "2020-04-30"}})
    assert "61/2018/NĐ-CP" in old[0] and not any("118/2025" in line for line in old)
    mid = narrative.legal_basis({"period": {"start": "2023-04-01", "end": "2023-04-30"}})
    assert any("107/2021/NĐ-CP" in line for line in mid)
    new = narrative.legal_basis({"period": {"start": "2025-07-01", "end": "2025-07-31"}})
    assert "118/2025/NĐ-CP" in new[0] and not any("61/2018" in line for line in new)


def test_date_line_and_number():
    assert narrative.date_line("Bắc Giang", dt.date(2020, 2, 5)) == (
        "Bắc Giang, ngày 05 tháng 02 năm 2020"
    )
    assert narrative.date_line("Bắc Giang", dt.date(2020, 10, 21)) == (
        "Bắc Giang, ngày 21 tháng 10 năm 2020"
    )
    assert narrative.document_number({"unit": {"name": "Sở Công Thương"}}, None).endswith("/BC-SCT")
    assert narrative.abbreviation("Sở Giao thông vận tải Đắk Lắk") == "SGTVTDL"


def test_late_rows(report):
    rows = narrative.late_rows(report)
    first, second = report["late_list"]
    assert rows[0][:2] == ["1", first["code"]]
    assert rows[0][2] == f"{first['procedure_code']} - {first['procedure_name']}"
    assert rows[0][3:6] == ["02/04/2020", "10/04/2020", "14/04/2020"]
    assert rows[0][6] == "Có (hẹn lại 15/04/2020)"
    assert rows[1][5] == "Đang giải quyết" and rows[1][6] == "Không"
