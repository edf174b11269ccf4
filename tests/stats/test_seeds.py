"""Seeds 000 and 001 rebuilt from dossier histories.

Every figure comes from the published sentences quoted below (read with regular expressions,
never typed twice): a population of dossiers is built so that it yields them, the report is
computed, and every printed count and rate is asserted. Where a seed prints a figure that no
population can give, the test asserts the correct one and says why.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from motcua.stats.assembly import build_report
from motcua.stats.identities import check_identities
from motcua.stats.periods import parse_period
from motcua.stats.rates import format_count, format_percent
from tests.stats.helpers import Spec, agency, at, build, procedure, rate

pytestmark = pytest.mark.django_db

# Seed 001 (Trung tâm Phục vụ hành chính công tỉnh, tháng 4 năm 2020), verbatim.
SEED_001 = (
    "Trong tháng 4 năm 2020, Trung tâm Phục vụ hành chính công tỉnh giải quyết 1.766 hồ sơ. "
    "Trong đó, số hồ sơ giải quyết đúng và trước hạn là 1.762 hồ sơ (đạt tỷ lệ 99,73%). "
    "Tổng số hồ sơ tiếp nhận tại Trung tâm trong tháng 4/2020 là 2.704 hồ sơ, trong đó kỳ trước "
    "chuyển sang là 952 hồ sơ, tiếp nhận mới là 1.752, tiếp nhận trực tuyến 645 hồ sơ (chiếm tỷ lệ "
    "36,82%), tiếp nhận trực tiếp 1.062 hồ sơ (chiếm 60,62%), tiếp nhận qua dịch vụ bưu chính công "
    "ích 45 hồ sơ (chiếm tỷ lệ 2,56%); thực hiện trả kết quả 1.766 hồ sơ, trong đó có 966 hồ sơ "
    "trước hạn (chiếm tỷ lệ 54,70%), 796 hồ sơ đúng hạn (chiếm tỷ lệ 45,07%), 04 hồ sơ trả quá hạn "
    "(chiếm tỷ lệ 0,23%); trả kết quả qua dịch vụ bưu chính công ích 129 hồ sơ (chiếm tỷ lệ 7,30%); "
    "còn 942 hồ sơ đang giải quyết, trong đó có 07 hồ sơ quá thời hạn giải quyết. Hồ sơ có tần suất "
    "thực hiện nhiều tập trung ở một số sở, ngành như: Giao thông vận tải 515 hồ sơ, Công an tỉnh "
    "305 hồ sơ, Công Thương 246 hồ sơ,… Trong tháng có 298 lượt người dân, tổ chức đánh giá công "
    "chức, viên chức làm việc tại Trung tâm, trong đó đánh giá Rất hài lòng: 288 lượt (chiếm "
    "96,64%), Hài lòng: 10 lượt (chiếm 3,36%)."
)

# Seed 000 (Sở Công Thương Bắc Giang, tháng 9 năm 2020), verbatim.
SEED_000 = (
    "Trong tháng 9/2020, Sở Công Thương đã tiếp nhận tổng số 587 hồ sơ, trong đó: kỳ trước là 07 "
    "hồ sơ, trong kỳ là 580 hồ sơ; đã trả kết quả 585 hồ sơ, trong đó hồ sơ giải quyết trước hạn là "
    "496 hồ sơ, đúng hạn là 89, quá hạn là 0 hồ sơ; hồ sơ đang giải quyết là 02, trong đó: chưa đến "
    "hạn là 02, quá hạn là 0 hồ sơ; hồ sơ yêu cầu bổ sung là 0 hồ sơ; hồ sơ trả lại cho tổ chức, cá "
    "nhân là 1 hồ sơ (Lý do: doanh nghiệp xin rút hồ sơ); hồ sơ liên thông là 0 hồ sơ, hồ sơ giải "
    "quyết dịch vụ công mức độ 3 là 4 hồ sơ, mức độ 4 là 568 hồ sơ (*đạt tỷ lệ dịch vụ công trực "
    "tuyến là 98%*). Hồ sơ gửi liên thông Văn phòng UBND tỉnh là 0 hồ sơ. "
    "Tổng số hồ sơ nhận và trả kết quả qua dịch vụ bưu chính công ích (...) là 17 hồ sơ/tổng số 18 "
    "hồ sơ được tiếp nhận trực tiếp và tiếp nhận qua mức độ 3/32 thủ tục Sở đăng ký tiếp nhận và "
    "trả kết quả qua dịch vụ BCCI, *đạt tỷ lệ 53%* thủ tục qua dịch vụ bưu chính có phát sinh hồ sơ."
)


def num(text: str, pattern: str, group: int = 1) -> int:
    """The count a pattern captures, printed with the thousands dot (``1.766``)."""
    m = re.search(pattern, text)
    assert m, pattern
    return int(m.group(group).replace(".", ""))


def pct(text: str, pattern: str) -> str:
    m = re.search(pattern, text)
    assert m, pattern
    return m.group(1) + "%"


class Seed001:
    text = SEED_001
    resolved = num(text, r"thực hiện trả kết quả ([\d.]+) hồ sơ")
    in_time = num(text, r"đúng và trước hạn là ([\d.]+) hồ sơ")
    in_time_pct = pct(text, r"đạt tỷ lệ ([\d,]+)%")
    received = num(text, r"trong tháng 4/2020 là ([\d.]+) hồ sơ")
    carried = num(text, r"kỳ trước chuyển sang là ([\d.]+)")
    new = num(text, r"tiếp nhận mới là ([\d.]+)")
    online = num(text, r"tiếp nhận trực tuyến ([\d.]+)")
    online_pct = pct(text, r"tiếp nhận trực tuyến [\d.]+ hồ sơ \(chiếm tỷ lệ ([\d,]+)%")
    direct = num(text, r"tiếp nhận trực tiếp ([\d.]+)")
    direct_pct = pct(text, r"tiếp nhận trực tiếp [\d.]+ hồ sơ \(chiếm ([\d,]+)%")
    postal = num(text, r"bưu chính công ích ([\d.]+) hồ sơ \(chiếm tỷ lệ [\d,]+%\); thực hiện")
    postal_pct = pct(text, r"bưu chính công ích [\d.]+ hồ sơ \(chiếm tỷ lệ ([\d,]+)%\); thực hiện")
    early = num(text, r"có ([\d.]+) hồ sơ trước hạn")
    early_pct = pct(text, r"trước hạn \(chiếm tỷ lệ ([\d,]+)%")
    on_time = num(text, r"([\d.]+) hồ sơ đúng hạn")
    on_time_pct = pct(text, r"đúng hạn \(chiếm tỷ lệ ([\d,]+)%")
    late = num(text, r"([\d.]+) hồ sơ trả quá hạn")
    late_pct = pct(text, r"trả quá hạn \(chiếm tỷ lệ ([\d,]+)%")
    delivered_postal = num(text, r"trả kết quả qua dịch vụ bưu chính công ích ([\d.]+)")
    delivered_postal_pct = pct(
        text, r"trả kết quả qua dịch vụ bưu chính công ích [\d.]+ hồ sơ \(chiếm tỷ lệ ([\d,]+)%"
    )
    pending_printed = num(text, r"còn ([\d.]+) hồ sơ đang giải quyết")
    overdue = num(text, r"có ([\d.]+) hồ sơ quá thời hạn")
    top = [
        (name, num(SEED_001, rf"{name} ([\d.]+) hồ sơ"))
        for name in ("Giao thông vận tải", "Công an tỉnh", "Công Thương")
    ]
    ratings = num(text, r"có ([\d.]+) lượt")
    very = num(text, r"Rất hài lòng: ([\d.]+) lượt")
    very_pct = pct(text, r"Rất hài lòng: [\d.]+ lượt \(chiếm ([\d,]+)%")
    satisfied = num(text, r"Hài lòng: ([\d.]+) lượt")
    satisfied_pct = pct(text, r"Hài lòng: [\d.]+ lượt \(chiếm ([\d,]+)%")


def build_seed_001():
    s = Seed001
    # The printed pending count is impossible (identity 1 with nothing refused, withdrawn or
    # stopped): the population holds what the other figures force.
    pending = s.carried + s.new - s.resolved
    center = agency("TTPVHCC", name="Trung tâm Phục vụ hành chính công tỉnh")
    # the three named agencies and three more, each below the third
    rest = s.new - sum(n for _, n in s.top)
    smallest = s.top[-1][1]
    others = [smallest - 6, smallest - 16]
    others.append(rest - sum(others))
    assert all(0 < n < smallest for n in others)
    units = [agency(f"S{i}", parent=center, name=name) for i, (name, _) in enumerate(s.top)]
    units += [agency(f"S{i + 3}", parent=center, name=f"Sở {i}") for i in range(3)]
    per_unit = [n for _, n in s.top] + others
    proc = procedure()
    new_units = [u for u, n in zip(units, per_unit, strict=True) for _ in range(n)]
    channels = ["online"] * s.online + ["direct"] * s.direct + ["postal"] * s.postal
    # counter reception was suspended 1–22 April 2020: direct dossiers from the 23rd
    specs = []
    for i, (unit, channel) in enumerate(zip(new_units, channels, strict=True)):
        day = 23 + i % 6 if channel == "direct" else 1 + i % 28
        specs.append(
            Spec(
                unit,
                proc,
                at(2020, 4, day, 9),
                channel=channel,
                online_class="level3"
                if channel == "online" and i % 2
                else ("level4" if channel == "online" else "none"),
            )
        )
    carried = [
        Spec(units[i % len(units)], proc, at(2020, 3, 10 + i % 20, 9)) for i in range(s.carried)
    ]
    closing = carried + specs[: s.resolved - s.carried]
    for j, spec in enumerate(closing):
        spec.outcome, spec.closed_at = "resolved", at(2020, 4, 29, 10)
        # before / on / after the due date
        spec.due_at = at(2020, 4, 30 if j < s.early else (29 if j < s.in_time else 28), 17)
        spec.delivered_at = at(2020, 4, 29, 15)
        spec.delivery_channel = "postal" if j < s.delivered_postal else "counter"
    still_open = specs[s.resolved - s.carried :]
    assert len(still_open) == pending
    for j, spec in enumerate(still_open):
        spec.due_at = at(2020, 4, 30, 8) if j < s.overdue else at(2020, 5, 8, 17)
    build(carried + specs)
    rate(units[0], "very_satisfied", at(2020, 4, 15, 10), s.very)
    rate(units[1], "satisfied", at(2020, 4, 16, 10), s.satisfied)
    return center


def test_seed_001_rebuilt():
    s = Seed001
    center = build_seed_001()
    # "tháng 4 năm 2020" with the closure of 1–22 April inside it: the calendar month
    rep = build_report(unit=center, period=parse_period("2020-04", cutoff=0), children=True)
    assert check_identities(rep) == []
    assert rep["received"]["total"] == s.received
    assert rep["received"]["carried_over"] == s.carried
    assert rep["received"]["new"] == s.new
    assert rep["received"]["by_channel"] == {
        "direct": s.direct,
        "online": s.online,
        "postal": s.postal,
    }
    assert rep["resolved"] == {
        "total": s.resolved,
        "early": s.early,
        "on_time": s.on_time,
        "late": s.late,
    }
    assert rep["resolved"]["early"] + rep["resolved"]["on_time"] == s.in_time
    assert rep["delivered"] == {"total": s.resolved, "postal": s.delivered_postal}
    assert rep["pending"]["overdue"] == s.overdue
    # Impossible figure: 952 + 1.752 = 2.704 received, 1.766 resolved, nothing else closed,
    # leaves 938 pending, not the 942 printed (identity 1).
    assert rep["pending"]["total"] == s.received - s.resolved
    assert rep["pending"]["total"] != s.pending_printed
    assert rep["pending"]["total"] == rep["pending"]["not_due"] + rep["pending"]["overdue"]
    # Wrong rate: 1.762 of 1.766 is 99,77%, not the 99,73% printed.
    assert format_percent(rep["rates"]["on_time_of_resolved"]) == "99,77%"
    assert format_percent(rep["rates"]["on_time_of_resolved"]) != s.in_time_pct
    # The three-way split of the resolved is printed right (largest remainder).
    shares = rep["shares"]["resolved"]
    assert [format_percent(shares[k]) for k in ("early", "on_time", "late")] == [
        s.early_pct,
        s.on_time_pct,
        s.late_pct,
    ]
    # The channels: the direct share is right; 645 / 1.752 = 36,815…% and 45 / 1.752 = 2,568…%
    # are printed 36,82% and 2,56%, which no rounding gives together: by the largest remainder
    # (the sum must be 100,00%) the online share is 36,81% and the postal one 2,57%.
    ch = rep["shares"]["channels"]
    assert format_percent(ch["direct"]) == s.direct_pct
    assert format_percent(ch["online"]) == "36,81%" and s.online_pct == "36,82%"
    assert format_percent(ch["postal"]) == "2,57%" and s.postal_pct == "2,56%"
    assert rep["rates"]["online_of_new"] == ch["online"]
    assert rep["rates"]["postal_of_new"] == ch["postal"]
    # 129 of 1.766 results went by post
    assert format_percent(rep["rates"]["postal_of_delivered"]) == s.delivered_postal_pct
    assert rep["ratings"] == {"very_satisfied": s.very, "satisfied": s.satisfied, "dissatisfied": 0}
    assert sum(rep["ratings"].values()) == s.ratings
    assert format_percent(rep["rates"]["very_satisfied"]) == s.very_pct
    assert format_percent(rep["rates"]["satisfied"]) == s.satisfied_pct
    top = rep["rankings"]["by_received_new"][:3]
    assert [(r["name"], r["value"]) for r in top] == s.top
    assert format_count(rep["received"]["total"]) == "2.704"


class Seed000:
    text = SEED_000
    received = num(text, r"tổng số ([\d.]+) hồ sơ")
    carried = num(text, r"kỳ trước là ([\d.]+)")
    new = num(text, r"trong kỳ là ([\d.]+)")
    resolved = num(text, r"đã trả kết quả ([\d.]+)")
    early = num(text, r"trước hạn là ([\d.]+)")
    on_time = num(text, r"đúng hạn là ([\d.]+)")
    late = num(text, r"đúng hạn là [\d.]+, quá hạn là ([\d.]+)")
    pending_printed = num(text, r"đang giải quyết là ([\d.]+)")
    not_due_printed = num(text, r"chưa đến hạn là ([\d.]+)")
    overdue = num(text, r"chưa đến hạn là [\d.]+, quá hạn là ([\d.]+)")
    supplement = num(text, r"yêu cầu bổ sung là ([\d.]+)")
    withdrawn = num(text, r"cá nhân là ([\d.]+) hồ sơ \(Lý do: doanh nghiệp xin rút")
    inter_agency = num(text, r"hồ sơ liên thông là ([\d.]+)")
    sent_to_office = num(text, r"Văn phòng UBND tỉnh là ([\d.]+)")
    level3 = num(text, r"mức độ 3 là ([\d.]+)")
    level4 = num(text, r"mức độ 4 là ([\d.]+)")
    online_pct = num(text, r"trực tuyến là ([\d.]+)%")
    postal = num(text, r"là ([\d.]+) hồ sơ/tổng số")
    direct_and_level3_printed = num(text, r"tổng số ([\d.]+) hồ sơ được tiếp nhận trực tiếp")
    postal_procedures = num(text, r"mức độ 3/([\d.]+) thủ tục")
    postal_coverage_pct = num(text, r"đạt tỷ lệ ([\d.]+)%\* thủ tục")


def build_seed_000():
    s = Seed000
    province = agency("000.00.00.H23", name="UBND tỉnh Bắc Giang")
    office = agency("000.00.01.H23", parent=province, name="Văn phòng UBND tỉnh")
    sct = agency("000.00.02.H23", parent=province, name="Sở Công Thương")
    procs = [
        procedure(postal_reception=True, postal_return=True) for _ in range(s.postal_procedures)
    ]
    for p in procs:
        p.assignments.create(agency=sct)
    online = s.level3 + s.level4
    direct = s.new - online  # nothing is said of postal reception: none
    new = [
        Spec(
            sct,
            procs[0],
            at(2020, 8, 15, 9) + dt.timedelta(days=i % 27),
            channel="online",
            online_class="level3" if i < s.level3 else "level4",
        )
        for i in range(online)
    ]
    new += [Spec(sct, procs[0], at(2020, 8, 20 + i, 9)) for i in range(direct)]
    carried = [Spec(sct, procs[0], at(2020, 8, 3 + i, 9)) for i in range(s.carried)]
    closing = carried + new[: s.resolved - s.carried]
    for j, spec in enumerate(closing):
        spec.outcome, spec.closed_at = "resolved", at(2020, 9, 12, 10)
        spec.due_at = at(2020, 9, 14 if j < s.early else 12, 17)
        spec.delivered_at = at(2020, 9, 12, 15)
        # the results sent by post, one for each of the procedures that saw postal dossiers
        if j < s.postal:
            spec.procedure, spec.delivery_channel = procs[j], "postal"
        else:
            spec.delivery_channel = "counter"
    rest = new[s.resolved - s.carried :]
    for spec in rest[: s.withdrawn]:
        spec.outcome, spec.closed_at = "withdrawn", at(2020, 9, 10, 10)
    for spec in rest[s.withdrawn :]:
        spec.due_at = at(2020, 9, 30, 17)
    build(carried + new)
    return office, sct


def test_seed_000_rebuilt():
    s = Seed000
    office, sct = build_seed_000()
    # "tháng 9 năm 2020", reported in September: Decree 09's 15 August to 14 September
    period = parse_period("2020-09", cutoff=14)
    rep = build_report(unit=sct, period=period)
    assert check_identities(rep) == []
    assert rep["received"]["carried_over"] == s.carried
    assert rep["received"]["new"] == s.new
    assert rep["received"]["total"] == s.received
    assert rep["resolved"] == {
        "total": s.resolved,
        "early": s.early,
        "on_time": s.on_time,
        "late": s.late,
    }
    assert rep["withdrawn"] == s.withdrawn and rep["refused"] == 0
    assert rep["pending"]["overdue"] == s.overdue
    assert rep["pending"]["awaiting_supplement"] == s.supplement
    # Impossible figures: 587 received = 585 resolved + 1 withdrawn + pending, so 1 pending
    # (and 1 not due), not the 02 printed twice (identity 1).
    assert rep["pending"]["total"] == s.received - s.resolved - s.withdrawn
    assert rep["pending"]["total"] != s.pending_printed
    assert rep["pending"]["not_due"] == rep["pending"]["total"] != s.not_due_printed
    oc = rep["received"]["online_by_class"]
    assert (oc["level3"], oc["level4"]) == (s.level3, s.level4)
    # 572 online of 580 is 98,62%; the seed prints 98%, cut (not rounded) to the unit — §3
    # wants two decimals, so the report gives 98,62%
    assert format_percent(rep["rates"]["online_of_new"]) == "98,62%"
    assert int(rep["rates"]["online_of_new"]) == s.online_pct
    # results by post, and the procedures registered for post that saw postal dossiers
    assert rep["delivered"]["postal"] == s.postal
    cov = rep["coverage"]["postal"]
    assert (cov["registered"], cov["with_dossiers"]) == (s.postal_procedures, s.postal)
    assert format_percent(cov["rate"]) == "53,13%" and round(cov["rate"]) == s.postal_coverage_pct
    # Impossible figure: the "18 dossiers received directly and at level 3" cannot be, since
    # direct + level 3 ≤ (580 − 572 online) + 4 = 12.
    by = rep["received"]["by_channel"]
    assert by["direct"] + oc["level3"] < s.direct_and_level3_printed
    # no inter-agency dossiers, none sent to the provincial People's Committee office
    ia = rep["inter_agency"]
    assert ia["sent"] == ia["received"] == s.inter_agency
    assert [x for x in ia["sent_to"] if x["code"] == office.code] == [] and s.sent_to_office == 0
    assert rep["late_list"] == []


def test_seed_periods_are_contiguous():
    """Identity 5 across the two seeds' periods (the carried-over of the next month)."""
    build_seed_000()
    p = parse_period("2020-09", cutoff=14)
    nxt = parse_period("2020-10", cutoff=14)
    from motcua.catalog.models import Agency

    sct = Agency.objects.get(code="000.00.02.H23")
    a = build_report(unit=sct, period=p, compare=False)
    b = build_report(unit=sct, period=nxt, compare=False)
    assert a["pending"]["total"] == b["received"]["carried_over"]
    assert nxt.start - p.end == dt.timedelta(days=1)
