"""The Vietnamese text of a report, written from its figures (pure functions; no database).

The sentences follow the published reports (seeds 000 and 001): counts with the thousands dot,
small counts on two digits ("04 hồ sơ"), rates with two decimals and a decimal comma, and shares
of one whole that add up to exactly 100,00%. Sentences added later take their wording from the
catalogue (`locale/vi`, English msgids, always rendered in Vietnamese: :data:`LANGUAGE`), as
the dossier forms do; tests/stats/test_seed_paragraphs.py compares the whole with the seeds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from motcua.stats.reports.formatting import LANGUAGE, fmt_count, fmt_rate, rate, shares
from motcua.stats.reports.frame import (  # noqa: F401 - the document frame, re-exported
    abbreviation,
    as_date,
    date_line,
    document_number,
    fmt_date,
    get,
    legal_basis,
    period_bounds,
    period_text,
)
from motcua.stats.reports.late import (  # noqa: F401 - the late list's text, re-exported
    LATE_COLUMNS,
    LATE_SHEET,
    late_intro,
    late_reason,
    late_rows,
)

DEFAULT_TASKS = (
    "Tiếp tục thực hiện tốt việc tiếp nhận và trả kết quả giải quyết thủ tục hành chính cho tổ "
    "chức, cá nhân đảm bảo đúng quy định, đúng thời hạn; đẩy mạnh tuyên truyền, hướng dẫn tổ "
    "chức, cá nhân nộp hồ sơ trực tuyến và nhận kết quả qua dịch vụ bưu chính công ích."
)
DEFAULT_PROPOSALS = "Không."
TOP_UNITS = 3  # seed 001 names the three units with the most new dossiers


def _share_clause(count: int, share: Any, words: str) -> str:
    return f"{words} {fmt_count(count)} hồ sơ (chiếm tỷ lệ {fmt_rate(share)})"


def reception_sentence(report: Mapping[str, Any]) -> str:
    carried = get(report, "received.carried_over")
    new = get(report, "received.new")
    total = get(report, "received.total")
    online = get(report, "received.by_channel.online")
    direct = get(report, "received.by_channel.direct")
    postal = get(report, "received.by_channel.postal")
    s_online, s_direct, s_postal = shares([online, direct, postal])
    text = (
        f"Tổng số hồ sơ tiếp nhận trong kỳ là {fmt_count(total)} hồ sơ, trong đó kỳ trước chuyển "
        f"sang là {fmt_count(carried)} hồ sơ, tiếp nhận mới là {fmt_count(new)} hồ sơ"
    )
    if new:
        online_clause = _share_clause(online, s_online, "tiếp nhận trực tuyến")
        classes = online_classes(report)
        if classes:
            listed = ", ".join(class_clause(words, count) for words, count in classes)
            online_clause = online_clause[:-1] + f", trong đó {listed})"
        clauses = [
            online_clause,
            _share_clause(direct, s_direct, "tiếp nhận trực tiếp"),
            _share_clause(postal, s_postal, "tiếp nhận qua dịch vụ bưu chính công ích"),
        ]
        text += ", " + ", ".join(clauses)
    return text


ONLINE_CLASS_WORDS = (
    ("partial", "trực tuyến một phần"),
    ("full", "trực tuyến toàn trình"),
    ("level3", "mức độ 3"),
    ("level4", "mức độ 4"),
)


def class_clause(words: str, count: int) -> str:
    """ "13 hồ sơ trực tuyến một phần"."""
    return f"{fmt_count(count)} hồ sơ {words}"


def online_classes(report: Mapping[str, Any]) -> list[tuple[str, int]]:
    """The online dossiers by class, every class present, adding up to the online total: the
    classes of statistics.md §1, then "chưa phân loại" for online dossiers of a procedure with
    no online class. Empty when no class is known (nothing to split)."""
    online = get(report, "received.by_channel.online")
    known = [
        (words, get(report, f"received.online_by_class.{key}")) for key, words in ONLINE_CLASS_WORDS
    ]
    if not any(count for _, count in known):
        return []
    others = online - sum(count for _, count in known)
    classes = [(words, count) for words, count in known if count]
    if others:
        classes.append(("chưa phân loại mức độ", others))
    return classes


def on_time_rate(report: Mapping[str, Any]) -> Decimal | None:
    """`rates.on_time_of_resolved` of the report, or computed from its counters."""
    given = get(report, "rates.on_time_of_resolved", None)
    if given is not None:
        return Decimal(str(given))
    in_time = get(report, "resolved.early") + get(report, "resolved.on_time")
    return shares([in_time, get(report, "resolved.late")])[0]


def resolution_sentence(report: Mapping[str, Any]) -> str:
    resolved = get(report, "resolved.total")
    early = get(report, "resolved.early")
    on_time = get(report, "resolved.on_time")
    late = get(report, "resolved.late")
    text = f"đã giải quyết {fmt_count(resolved)} hồ sơ"
    if resolved:
        s_early, s_on_time, s_late = shares([early, on_time, late])
        text += (
            f", trong đó {fmt_count(early)} hồ sơ trước hạn (chiếm tỷ lệ {fmt_rate(s_early)}), "
            f"{fmt_count(on_time)} hồ sơ đúng hạn (chiếm tỷ lệ {fmt_rate(s_on_time)}), "
            f"{fmt_count(late)} hồ sơ quá hạn (chiếm tỷ lệ {fmt_rate(s_late)}); "
            f"tỷ lệ giải quyết đúng và trước hạn đạt {fmt_rate(on_time_rate(report))}"
        )
        with translation.override(LANGUAGE):
            text += _(" (%(count)s dossiers resolved on time or early)") % {
                "count": fmt_count(early + on_time)
            }
    returned = [
        (get(report, "refused"), "trả lại do không đủ điều kiện"),
        (get(report, "withdrawn"), "rút hồ sơ theo đề nghị của tổ chức, cá nhân"),
        (get(report, "stopped"), "dừng giải quyết"),
    ]
    for count, words in returned:
        if count:
            text += f"; {fmt_count(count)} hồ sơ {words}"
    delivered = get(report, "delivered.total")
    postal = get(report, "delivered.postal")
    if postal:
        text += (
            f"; trả kết quả qua dịch vụ bưu chính công ích {fmt_count(postal)} hồ sơ "
            f"(chiếm tỷ lệ {fmt_rate(rate(postal, delivered))} số hồ sơ đã trả kết quả)"
        )
    return text


def pending_sentence(report: Mapping[str, Any]) -> str:
    pending = get(report, "pending.total")
    overdue = get(report, "pending.overdue")
    text = f"còn {fmt_count(pending)} hồ sơ đang giải quyết"
    if pending:
        text += (
            f", trong đó {fmt_count(get(report, 'pending.not_due'))} hồ sơ trong hạn, "
            f"{fmt_count(overdue)} hồ sơ quá hạn"
        )
        waiting = get(report, "pending.awaiting_supplement")
        text += f" ({fmt_count(waiting)} hồ sơ đang chờ bổ sung)"  # seed 000 says 0 too
    return text


def results_paragraph(report: Mapping[str, Any]) -> str:
    """The paragraph of "1. Kết quả", in the words of seed 001."""
    return (
        f"{reception_sentence(report)}; {resolution_sentence(report)}; {pending_sentence(report)}."
    )


def one_way_sentence(report: Mapping[str, Any]) -> str | None:
    total = get(report, "one_way.total")
    if not total:
        return None
    return (
        f"Ngoài ra, trong kỳ tiếp nhận {fmt_count(total)} hồ sơ thủ tục hành chính một chiều "
        f"(trong đó trực tuyến {fmt_count(get(report, 'one_way.online'))} hồ sơ)."
    )


def satisfaction_sentence(report: Mapping[str, Any]) -> str:
    very = get(report, "ratings.very_satisfied")
    satisfied = get(report, "ratings.satisfied")
    dissatisfied = get(report, "ratings.dissatisfied")
    total = very + satisfied + dissatisfied
    if not total:
        return "Trong kỳ chưa có lượt đánh giá của người dân, tổ chức."
    s_very, s_sat, s_dis = shares([very, satisfied, dissatisfied])
    return (
        f"Trong kỳ có {fmt_count(total)} lượt người dân, tổ chức đánh giá việc giải quyết thủ tục "
        f"hành chính, trong đó đánh giá Rất hài lòng: {fmt_count(very)} lượt (chiếm "
        f"{fmt_rate(s_very)}), Hài lòng: {fmt_count(satisfied)} lượt (chiếm {fmt_rate(s_sat)}), "
        f"Không hài lòng: {fmt_count(dissatisfied)} lượt (chiếm {fmt_rate(s_dis)})."
    )


COMPARED = (
    ("received.new", "số hồ sơ tiếp nhận mới"),
    ("resolved.total", "số hồ sơ đã giải quyết"),
    ("pending.overdue", "số hồ sơ quá hạn đang giải quyết"),
)


def _previous_value(comparison: Mapping[str, Any], key: str) -> Any:
    """The previous period's value of counter `key`, from `report["comparison"]` as
    `build_report` makes it (`{"counters": {key: {"previous": x, ...}}}`) or as a whole
    previous report (`{"previous": <report dict>}`)."""
    counters = comparison.get("counters")
    if isinstance(counters, Mapping) and isinstance(counters.get(key), Mapping):
        return counters[key].get("previous")
    previous = comparison.get("previous")
    if isinstance(previous, Mapping):
        return get(previous, key, None)
    return None


def change_clause(current: int, previous: int, what: str) -> str:
    """ "số hồ sơ đã giải quyết tăng 120 hồ sơ (7,35%)"."""
    diff = current - previous
    if diff == 0:
        return f"{what} không thay đổi ({fmt_count(current)} hồ sơ)"
    verb = "tăng" if diff > 0 else "giảm"
    pct = rate(abs(diff), previous)
    tail = f" ({fmt_rate(pct)})" if pct is not None else " (kỳ trước không có hồ sơ)"
    return f"{what} {verb} {fmt_count(abs(diff))} hồ sơ{tail}"


def comparison_paragraph(report: Mapping[str, Any]) -> str | None:
    comparison = report.get("comparison")
    if not isinstance(comparison, Mapping) or not comparison:
        return None
    clauses = []
    for key, words in COMPARED:
        previous = _previous_value(comparison, key)
        if previous is None:
            continue
        clauses.append(change_clause(get(report, key), int(previous), words))
    current_rate = on_time_rate(report)
    previous_rate = get(comparison, "rates.on_time_of_resolved.previous", None)
    if previous_rate is None and isinstance(comparison.get("previous"), Mapping):
        previous_rate = on_time_rate(comparison["previous"])
    elif previous_rate is not None:
        previous_rate = Decimal(str(previous_rate))
    if current_rate is not None and previous_rate is not None:
        diff = current_rate - previous_rate
        if diff:
            verb = "tăng" if diff > 0 else "giảm"
            points = fmt_rate(abs(diff)).removesuffix("%")
            clauses.append(
                f"tỷ lệ giải quyết đúng và trước hạn {verb} {points} điểm phần trăm "
                f"({fmt_rate(previous_rate)} kỳ trước)"
            )
        else:
            clauses.append(
                f"tỷ lệ giải quyết đúng và trước hạn không thay đổi ({fmt_rate(current_rate)})"
            )
    if not clauses:
        return None
    return "So với kỳ trước: " + "; ".join(clauses) + "."


def external_note(report: Mapping[str, Any]) -> str | None:
    names = [
        get(child, "unit.name", "")
        for child in report.get("children") or []
        if child.get("external")
    ]
    names += [get(item, "unit.name", "") for item in report.get("external") or []]
    names = [n for n in dict.fromkeys(names) if n]
    if not names:
        return None
    return (
        "Số liệu của " + ", ".join(names) + " (cơ quan giải quyết hồ sơ trên hệ thống của bộ, "
        "ngành) do cơ quan cung cấp và được nhập vào hệ thống; các số liệu này được đánh dấu (*)."
    )


def closing_sentence(report: Mapping[str, Any]) -> str:
    return (
        f"Trên đây là báo cáo tình hình, kết quả giải quyết thủ tục hành chính "
        f"{period_text(report)} của {get(report, 'unit.name', '')}./."
    )


def work_sentence(report: Mapping[str, Any]) -> str | None:
    """The receiving units' own work and the hand-overs (seed 000 counts both), or None when
    the report has none of them."""
    received = report.get("received_for_others") or {}
    delivered = report.get("delivered_for_others") or {}
    moved = report.get("transferred") or {}
    parts = []
    if received.get("total"):
        by = received.get("by_channel") or {}
        parts.append(
            f"tiếp nhận {fmt_count(received['total'])} hồ sơ thuộc thẩm quyền giải quyết của cơ "
            f"quan khác (trực tiếp {fmt_count(by.get('direct', 0))}, trực tuyến "
            f"{fmt_count(by.get('online', 0))}, qua bưu chính {fmt_count(by.get('postal', 0))})"
        )
    if delivered.get("total"):
        parts.append(f"trả {fmt_count(delivered['total'])} kết quả cho cơ quan khác")
    # said even when none for a unit that received dossiers (seed 000: "hồ sơ liên thông là
    # 0 hồ sơ"); a report without any dossier says nothing of them
    if moved and (moved.get("sent") or moved.get("received") or get(report, "received.total")):
        parts.append(
            f"chuyển liên thông {fmt_count(moved.get('sent', 0))} hồ sơ (trong đó chuyển Văn "
            f"phòng Ủy ban nhân dân tỉnh {fmt_count(moved.get('sent_to_province_office', 0))} "
            f"hồ sơ), nhận liên thông {fmt_count(moved.get('received', 0))} hồ sơ"
        )
    if not parts:
        return None
    return "Trong kỳ, " + "; ".join(parts) + "."


def top_units_sentence(report: Mapping[str, Any]) -> str | None:
    """Where the new dossiers were received most (seed 001: "Giao thông vận tải 515 hồ sơ,
    Công an tỉnh 305 hồ sơ, Công Thương 246 hồ sơ"): the first units of the ranking by new
    dossiers, when the report has two units or more below it."""
    ranking = [r for r in get(report, "rankings.by_received_new", None) or [] if r.get("value")]
    if len(ranking) < 2:
        return None
    listed = ", ".join(
        f"{row['name']} {fmt_count(row['value'])} hồ sơ" for row in ranking[:TOP_UNITS]
    )
    with translation.override(LANGUAGE):
        return _("New dossiers were received most at: %(units)s.") % {"units": listed}


def postal_coverage_sentence(report: Mapping[str, Any]) -> str | None:
    """How many of the procedures registered for the postal service had postal dossiers (seed
    000: 17 of 32, "đạt tỷ lệ 53%"), when some are registered."""
    postal = get(report, "coverage.postal", None)
    if not isinstance(postal, Mapping) or not postal.get("registered"):
        return None
    with translation.override(LANGUAGE):
        return _(
            "Of the %(registered)s procedures registered for reception and delivery by the "
            "public postal service, %(used)s had dossiers sent or delivered by post "
            "(%(rate)s)."
        ) % {
            "registered": fmt_count(postal["registered"]),
            "used": fmt_count(postal.get("with_dossiers") or 0),
            "rate": fmt_rate(postal.get("rate")),
        }


def _editable(text: str | Sequence[str]) -> list[str]:
    lines = [text] if isinstance(text, str) else list(text)
    return [part.strip() for line in lines for part in str(line).split("\n") if part.strip()]


def report_body(
    report: Mapping[str, Any],
    options: Mapping[str, Any],
    late: Sequence[Mapping[str, Any]] | None = None,
) -> list[tuple[str, Any]]:
    """The body of the narrative report, from the title to the closing sentence, as blocks that
    every renderer prints in order, so the DOCX and the PDF say the same: ("title", text),
    ("subtitle", text), ("text", paragraph), ("section", heading), ("chart", True),
    ("late_table", rows). ``late``: the late list's rows the table prints (every row of
    ``report["late_list"]`` by default; decisions.md #52)."""
    blocks: list[tuple[str, Any]] = [
        ("title", "BÁO CÁO"),
        ("subtitle", "Tình hình, kết quả giải quyết thủ tục hành chính " + period_text(report)),
    ]
    blocks += [("text", line) for line in options.get("legal_basis") or legal_basis(report)]
    blocks += [("section", "1. Kết quả"), ("text", results_paragraph(report))]
    for extra in (
        top_units_sentence(report),
        postal_coverage_sentence(report),
        one_way_sentence(report),
        work_sentence(report),
        satisfaction_sentence(report),
        comparison_paragraph(report),
        external_note(report),
    ):
        if extra:
            blocks.append(("text", extra))
    if options.get("chart", True):
        blocks.append(("chart", True))
    shown = None if late is None else len(late)
    blocks.append(("text", late_intro(report, shown)))
    rows = late_rows(report if late is None else {"late_list": late})
    if rows:
        blocks.append(("late_table", rows))
    blocks.append(("section", "2. Nhiệm vụ trọng tâm kỳ tiếp theo"))
    blocks += [("text", t) for t in _editable(options.get("tasks_text") or DEFAULT_TASKS)]
    blocks.append(("section", "3. Kiến nghị, đề xuất"))
    blocks += [("text", t) for t in _editable(options.get("proposals_text") or DEFAULT_PROPOSALS)]
    blocks.append(("text", closing_sentence(report)))
    return blocks
