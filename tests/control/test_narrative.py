"""The report's Vietnamese sentences from figures (pure functions)."""

from __future__ import annotations

from motcua.control import narrative
from motcua.stats.reports.letterhead import document_number


def _report(**figures):
    base = {
        "unit": {"name": "Sở Tư pháp", "level": "provincial_agency"},
        "period": {"start": "2021-01-01", "end": "2021-06-30", "kind": "half", "label": "2021-H1"},
        "decisions_issued": 0,
        "procedures_published": {"total": 0, "by_level": {}, "by_action": {}},
        "internal_process_decisions": 0,
        "internal_processes_approved": 0,
        "drafts_commented": 0,
        "reviews_done": 0,
        "dossiers": {"received": 0, "resolved": 0, "pending": 0, "online": 0},
    }
    base.update(figures)
    return base


def test_period_names():
    assert narrative.control_period_text(_report()) == "6 tháng đầu năm 2021"
    quarter = {"period": {"kind": "quarter", "label": "2020-Q4"}}
    assert narrative.control_period_text(quarter) == "quý IV năm 2020"
    assert (
        narrative.control_period_text({"period": {"kind": "year", "label": "2020"}}) == "năm 2020"
    )
    month = {"period": {"kind": "month", "label": "2020-04"}}
    assert narrative.control_period_text(month) == "tháng 4 năm 2020"
    days = {"period": {"kind": "range", "label": "", "start": "2020-01-01", "end": "2020-12-07"}}
    assert narrative.control_period_text(days) == "từ ngày 01/01/2020 đến ngày 07/12/2020"


def test_nothing_done_is_said_plainly():
    report = _report()
    assert "không nhận được dự thảo" in narrative.drafts_sentence(report)
    assert narrative.review_sentence(report) == "Trong kỳ, chưa thực hiện rà soát, đánh giá TTHC."
    assert "ban hành 0 Quyết định công bố với tổng số 0 TTHC được công bố;" in (
        narrative.publication_sentence(report, "Sở Tư pháp")
    )


def test_small_counts_on_two_digits_and_thousands_with_a_dot():
    report = _report(reviews_done=12, simplification_plans=3)
    assert narrative.review_sentence(report) == (
        "Thực hiện rà soát, đánh giá 12 TTHC, trong đó đề xuất phương án đơn giản hóa 03 TTHC."
    )
    report = _report(dossiers={"received": 12345, "resolved": 12000, "pending": 345, "online": 7})
    text = narrative.results_sentence(report, "quý I năm 2021", "toàn tỉnh")
    assert "12.345 hồ sơ, trong đó có 12.000 hồ sơ đã giải quyết, 345 hồ sơ đang giải quyết" in text
    assert "07 hồ sơ trực tuyến" in narrative.online_sentence(report, "quý I năm 2021", "toàn tỉnh")


def test_document_number():
    # one rule for every report (stats/reports/letterhead.py)
    province = {"name": "UBND tỉnh Bắc Kạn", "level": "province"}
    assert document_number(province, None).endswith("/BC-UBND")
    assert document_number({"name": "Sở Tư pháp"}, None).endswith("/BC-STP")
