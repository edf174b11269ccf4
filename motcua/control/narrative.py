"""The Vietnamese text of the control report (seed 004 style), from its figures. Pure functions.

Official documents are written in Vietnamese whatever the interface language, as the
statistics documents are; counts use the thousands dot and two digits under ten ("08").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.stats.reports.formatting import fmt_count
from motcua.stats.reports.frame import until_now
from motcua.stats.reports.narrative import fmt_date, period_text

ROMAN = ("I", "II", "III", "IV")
LEVEL_WORDS = {
    "province": "cấp tỉnh",
    "district": "cấp huyện",
    "commune": "cấp xã",
    "multi": "nhiều cấp",
    "central": "cấp trung ương",
}
ACTION_WORDS = {
    "publish": "công bố mới",
    "amend": "sửa đổi, bổ sung",
    "replace": "thay thế",
    "abolish": "bãi bỏ",
}
DEFAULT_TASKS = (
    "Tiếp tục công bố danh mục TTHC kịp thời khi có quyết định công bố của các Bộ, ngành "
    "Trung ương; cập nhật, công khai đầy đủ TTHC trên Cơ sở dữ liệu quốc gia về TTHC, tại Trung "
    "tâm Phục vụ hành chính công và trên Cổng Thông tin điện tử.",
    "Rà soát, đánh giá TTHC; ban hành quyết định phê duyệt phương án đơn giản hóa TTHC.",
    "Tăng cường phối hợp giữa các cơ quan hành chính nhà nước trong giải quyết TTHC; đẩy mạnh "
    "cung cấp dịch vụ công trực tuyến và dịch vụ bưu chính công ích.",
    "Tuyên truyền, hướng dẫn người dân, doanh nghiệp khai thác thông tin và nộp hồ sơ trên Cổng "
    "Dịch vụ công quốc gia; tập huấn nghiệp vụ kiểm soát TTHC.",
)


def get(data: Mapping[str, Any] | None, path: str, default: Any = 0) -> Any:
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return default
        value = value[part]
    return default if value is None else value


def control_period_text(report: Mapping[str, Any]) -> str:
    """ "quý II năm 2020", "6 tháng đầu năm 2020", "năm 2020"... named after the period's label;
    a period not yet ended says up to when it is counted ("… (tính đến 9 giờ 00 ngày …)")."""
    return _control_period_words(report) + until_now(report)


def _control_period_words(report: Mapping[str, Any]) -> str:
    kind = get(report, "period.kind", "range")
    label = str(get(report, "period.label", ""))
    year = label[:4]
    if kind == "quarter" and label[5:6] == "Q":
        return f"quý {ROMAN[int(label[6]) - 1]} năm {year}"
    if kind == "half":
        return f"6 tháng {'đầu' if label.endswith('1') else 'cuối'} năm {year}"
    if kind == "nine_months":
        return f"9 tháng năm {year}"
    if kind == "year":
        return f"năm {year}"
    if kind == "month":
        return f"tháng {int(label[5:7])} năm {year}"
    return period_text(
        {
            "period": {
                "start": get(report, "period.start", None),
                "end": get(report, "period.end", None),
            }
        }
    )


def _breakdown(counts: Mapping[str, int], words: Mapping[str, str]) -> str:
    """ "150 công bố mới, 17 bãi bỏ": the non-zero counts, number first."""
    return ", ".join(f"{fmt_count(n)} {words.get(key, key)}" for key, n in counts.items() if n)


def drafts_sentence(report: Mapping[str, Any]) -> str:
    count = get(report, "drafts_commented")
    if not count:
        return (
            "Trong kỳ, Bộ phận kiểm soát TTHC không nhận được dự thảo văn bản quy phạm pháp luật "
            "có chứa TTHC để góp ý."
        )
    agencies = []
    for draft in get(report, "drafts", []) or []:
        if draft.get("drafting_agency") and draft["drafting_agency"] not in agencies:
            agencies.append(draft["drafting_agency"])
    by = f" do {', '.join(agencies)} chủ trì soạn thảo" if agencies else ""
    return (
        "Bộ phận kiểm soát TTHC đã thực hiện việc góp ý kiến đối với "
        f"{fmt_count(count)} dự thảo văn bản quy phạm pháp luật có chứa TTHC{by}."
    )


def publication_sentence(report: Mapping[str, Any], issuer: str) -> str:
    published = get(report, "procedures_published", {}) or {}
    text = (
        f"{issuer} ban hành {fmt_count(get(report, 'decisions_issued'))} Quyết định công bố "
        f"với tổng số {fmt_count(get(published, 'total'))} TTHC được công bố"
    )
    by_action = _breakdown(get(published, "by_action", {}) or {}, ACTION_WORDS)
    by_level = _breakdown(get(published, "by_level", {}) or {}, LEVEL_WORDS)
    detail = "; ".join(
        part
        for part in (
            f"theo nội dung: {by_action}" if by_action else "",
            f"theo cấp: {by_level}" if by_level else "",
        )
        if part
    )
    if detail:
        text += f" ({detail})"
    return (
        f"{text}; {fmt_count(get(report, 'internal_process_decisions'))} Quyết định công bố quy "
        f"trình nội bộ giải quyết TTHC với tổng số {fmt_count(get(report, 'internal_processes_approved'))} "
        "quy trình của các đơn vị."
    )


def posting_sentence(report: Mapping[str, Any], period: str) -> str:
    text = (
        "Trên cơ sở Quyết định công bố TTHC, trong "
        f"{period}, bộ phận kiểm soát TTHC đã thực hiện công khai "
        f"{fmt_count(get(report, 'posted_national_db'))} TTHC trên Cơ sở dữ liệu quốc gia về TTHC"
    )
    extra = []
    if get(report, "posted_center"):
        extra.append(
            f"niêm yết {fmt_count(get(report, 'posted_center'))} TTHC tại Trung tâm Phục vụ "
            "hành chính công"
        )
    if get(report, "posted_website"):
        extra.append(
            f"đăng tải {fmt_count(get(report, 'posted_website'))} TTHC trên Cổng Thông tin điện tử"
        )
    return text + (f"; {', '.join(extra)}" if extra else "") + "."


def review_sentence(report: Mapping[str, Any]) -> str:
    reviews = get(report, "reviews_done")
    if not reviews:
        return "Trong kỳ, chưa thực hiện rà soát, đánh giá TTHC."
    plans = get(report, "simplification_plans")
    tail = f", trong đó đề xuất phương án đơn giản hóa {fmt_count(plans)} TTHC" if plans else ""
    return f"Thực hiện rà soát, đánh giá {fmt_count(reviews)} TTHC{tail}."


def catalogue_sentence(report: Mapping[str, Any]) -> str:
    in_force = get(report, "procedures_in_force", {}) or {}
    detail = _breakdown(get(in_force, "by_level", {}) or {}, LEVEL_WORDS)
    detail = f"trong đó {detail}" if detail else ""
    return (
        f"Tính đến ngày {fmt_date(get(in_force, 'on', None))}, có "
        f"{fmt_count(get(in_force, 'total'))} TTHC đang có hiệu lực"
        + (f" ({detail})" if detail else "")
        + "."
    )


def online_sentence(report: Mapping[str, Any], period: str, scope: str) -> str:
    return (
        f"Việc cung cấp dịch vụ công trực tuyến và dịch vụ bưu chính công ích tiếp tục được đẩy "
        f"mạnh; trong {period}, {scope} đã tiếp nhận và giải quyết "
        f"{fmt_count(get(report, 'dossiers.online'))} hồ sơ trực tuyến."
    )


NOT_RESOLVED_WORDS = (
    ("refused", "hồ sơ trả lại do không đủ điều kiện giải quyết"),
    ("withdrawn", "hồ sơ rút theo đề nghị của tổ chức, cá nhân"),
    ("stopped", "hồ sơ dừng giải quyết"),
)


def results_sentence(report: Mapping[str, Any], period: str, scope: str) -> str:
    """Every received dossier accounted for: resolved, pending, and those closed without a
    result (refused, withdrawn, stopped) when there are any; then how the received split into
    carried over and new."""
    text = (
        f"Về kết quả giải quyết TTHC, trong {period}, {scope} đã tiếp nhận và giải quyết "
        f"{fmt_count(get(report, 'dossiers.received'))} hồ sơ, trong đó có "
        f"{fmt_count(get(report, 'dossiers.resolved'))} hồ sơ đã giải quyết, "
        f"{fmt_count(get(report, 'dossiers.pending'))} hồ sơ đang giải quyết"
    )
    for key, words in NOT_RESOLVED_WORDS:
        if get(report, f"dossiers.{key}"):
            text += f", {fmt_count(get(report, f'dossiers.{key}'))} {words}"
    text += "."
    carried = get(report, "dossiers.carried_over")
    if carried:
        text += (
            f" Số hồ sơ tiếp nhận gồm {fmt_count(carried)} hồ sơ kỳ trước chuyển sang và "
            f"{fmt_count(get(report, 'dossiers.received_new'))} hồ sơ tiếp nhận mới."
        )
    return text


def figures_rows(report: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The summary table: one row per figure of the report."""
    return [
        ("Quyết định công bố TTHC", fmt_count(get(report, "decisions_issued"))),
        ("TTHC được công bố", fmt_count(get(report, "procedures_published.total"))),
        (
            "Quyết định công bố quy trình nội bộ",
            fmt_count(get(report, "internal_process_decisions")),
        ),
        ("Quy trình nội bộ được phê duyệt", fmt_count(get(report, "internal_processes_approved"))),
        ("TTHC công khai trên CSDL quốc gia về TTHC", fmt_count(get(report, "posted_national_db"))),
        ("TTHC niêm yết tại Trung tâm", fmt_count(get(report, "posted_center"))),
        ("TTHC được rà soát, đánh giá", fmt_count(get(report, "reviews_done"))),
        ("Phương án đơn giản hóa", fmt_count(get(report, "simplification_plans"))),
        ("Dự thảo VBQPPL được góp ý", fmt_count(get(report, "drafts_commented"))),
        ("Hồ sơ tiếp nhận", fmt_count(get(report, "dossiers.received"))),
        ("Hồ sơ đã giải quyết", fmt_count(get(report, "dossiers.resolved"))),
        ("Hồ sơ trả lại do không đủ điều kiện", fmt_count(get(report, "dossiers.refused"))),
        ("Hồ sơ rút theo đề nghị", fmt_count(get(report, "dossiers.withdrawn"))),
        ("Hồ sơ dừng giải quyết", fmt_count(get(report, "dossiers.stopped"))),
        ("Hồ sơ đang giải quyết", fmt_count(get(report, "dossiers.pending"))),
        ("Hồ sơ trực tuyến", fmt_count(get(report, "dossiers.online"))),
    ]
