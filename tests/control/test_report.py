"""The control report: the catalogue as it was, and seed 004 rebuilt figure by figure."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from motcua.catalog.choices import ProcedureLevel, Role
from motcua.catalog.models import Procedure
from motcua.control.choices import DecisionKind, ItemAction, PostingChannel
from motcua.control.documents import docx_text, render_control_report
from motcua.control.report import build_control_report
from motcua.control.services import (
    decision_create,
    decision_item_add,
    decisions_apply_due,
    draft_create,
    posting_create,
    process_approve,
    review_create,
)
from motcua.control.services.oversight import StepSpec
from motcua.core.localtime import LOCAL_TZ as TZ
from motcua.dossiers.choices import Channel, DossierState, Outcome
from motcua.dossiers.models import Dossier
from motcua.stats.periods import parse_period
from tests.catalog.factories import FieldFactory, ProcedureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Seed 004 (Bắc Kạn, quarter II of 2020), as published.
SEED = {
    "decisions_issued": 14,
    "procedures_published": 207,
    "internal_process_decisions": 8,
    "internal_processes_approved": 93,
    "posted_national_db": 198,
    "drafts_commented": 1,
    "received": 58_463,
    "resolved": 57_064,
    "pending": 1_399,
    "online": 6_687,
}
# ... and how the seed writes them.
SEED_TEXT = [
    "01 dự thảo văn bản quy phạm pháp luật có chứa TTHC do Sở Kế hoạch và Đầu tư chủ trì soạn thảo",
    "ban hành 14 Quyết định công bố với tổng số 207 TTHC được công bố",
    "08 Quyết định công bố quy trình nội bộ giải quyết TTHC với tổng số 93 quy trình",
    "công khai 198 TTHC trên Cơ sở dữ liệu quốc gia về TTHC",
    "6.687 hồ sơ trực tuyến",
    "đã tiếp nhận và giải quyết 58.463 hồ sơ, trong đó có 57.064 hồ sơ đã giải quyết, "
    "1.399 hồ sơ đang giải quyết",
]
STEPS = [
    StepSpec("Tiếp nhận", Role.COUNTER_OFFICER, Decimal(10)),
    StepSpec("Thẩm định", Role.SPECIALIST, Decimal(70)),
    StepSpec("Phê duyệt", Role.LEADER, Decimal(20)),
]
LEVELS = (ProcedureLevel.PROVINCE, ProcedureLevel.DISTRICT, ProcedureLevel.COMMUNE)


def _split(total: int, parts: int) -> list[int]:
    """`total` spread over `parts` as evenly as possible."""
    size, rest = divmod(total, parts)
    return [size + (1 if i < rest else 0) for i in range(parts)]


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def _build_control_activity(province, department, actor, period) -> None:
    start = period.start
    field = FieldFactory(name="Đầu tư tại Việt Nam")
    existing = ProcedureFactory.create_batch(60)
    # 14 publication decisions; their 207 items: new procedures, amendments and abolitions.
    actions = [ItemAction.PUBLISH] * 150 + [ItemAction.AMEND] * 40 + [ItemAction.ABOLISH] * 17
    assert len(actions) == SEED["procedures_published"]
    targets = iter(existing)
    n = 0
    for index, count in enumerate(_split(len(actions), SEED["decisions_issued"])):
        issued = start + dt.timedelta(days=2 + index)
        decision = decision_create(
            actor=actor,
            number=f"{1000 + index}/QĐ-UBND",
            issued_on=issued,
            effective_from=issued + dt.timedelta(days=5),
            agency=province,
        )
        for _ in range(count):
            action = actions[n]
            kwargs = (
                {"code": f"2.{n:06d}", "name": f"Thủ tục mới {n}", "field": field}
                if action == ItemAction.PUBLISH
                else {"procedure": next(targets)}
            )
            decision_item_add(
                actor=actor,
                decision=decision,
                action=action,
                level=LEVELS[n % 3],
                attributes={"processing_time": 10} if action == ItemAction.PUBLISH else {},
                **kwargs,
            )
            n += 1
    # Outside the count: a decision of the previous quarter.
    decision_create(
        actor=actor,
        number="1/QĐ-UBND",
        issued_on=start - dt.timedelta(days=30),
        effective_from=start - dt.timedelta(days=30),
        agency=province,
    )
    assert not decisions_apply_due(actor=actor, today=period.end).failed

    # 8 decisions approving 93 internal processes.
    for index, count in enumerate(
        _split(SEED["internal_processes_approved"], SEED["internal_process_decisions"])
    ):
        issued = start + dt.timedelta(days=20 + index)
        decision = decision_create(
            actor=actor,
            number=f"{2000 + index}/QĐ-UBND",
            issued_on=issued,
            effective_from=issued,
            agency=province,
            kind=DecisionKind.INTERNAL_PROCESSES,
        )
        for procedure in ProcedureFactory.create_batch(count):
            process_approve(
                actor=actor, decision=decision, procedure=procedure, steps=STEPS, agency=department
            )

    # 198 procedures posted on the national database in the quarter (one posted twice).
    procedures = list(Procedure.objects.order_by("code")[: SEED["posted_national_db"]])
    for index, procedure in enumerate(procedures):
        posting_create(
            actor=actor,
            procedure=procedure,
            agency=province,
            channel=PostingChannel.NATIONAL_DB,
            posted_on=start + dt.timedelta(days=10 + index % 40),
        )
    posting_create(
        actor=actor,
        procedure=procedures[0],
        agency=province,
        channel=PostingChannel.NATIONAL_DB,
        posted_on=period.end,
    )
    posting_create(  # before the quarter: not counted
        actor=actor,
        procedure=existing[-1],
        agency=province,
        channel=PostingChannel.NATIONAL_DB,
        posted_on=start - dt.timedelta(days=1),
    )

    # One draft commented in the quarter; one still waiting; one commented the quarter before.
    for received, commented in (
        (start + dt.timedelta(days=3), start + dt.timedelta(days=10)),
        (start + dt.timedelta(days=40), None),
        (start - dt.timedelta(days=40), start - dt.timedelta(days=30)),
    ):
        draft_create(
            actor=actor,
            title="Dự thảo Nghị quyết quy định chính sách hỗ trợ doanh nghiệp",
            drafting_agency=department,
            agency=province,
            received_on=received,
            commented_on=commented,
            procedures_count=3,
        )


def _insert_dossiers(prototype: Dossier, varying: list[dict]) -> None:
    """Insert one row per dict of `varying` (the other columns copied from `prototype`).

    Multi-row INSERTs: `bulk_create` prepares every column of every row through the ORM,
    which for the seed's 58,463 dossiers takes tens of seconds on SQLite.
    """
    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    base = {
        f.attname: f.get_db_prep_save(getattr(prototype, f.attname), connection) for f in fields
    }
    by_name = {f.attname: f for f in fields}
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(Dossier._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    one = "({})".format(", ".join(["%s"] * len(fields)))
    batch = 500
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: a long INSERT is slow to parse client-side
            columns = ", ".join(quote(f.column) for f in fields)
            copy_sql = f"COPY {quote(Dossier._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for change in varying:
                    row = {**base, **change}
                    copy.write_row([row[f.attname] for f in fields])
            return
        for i in range(0, len(varying), batch):
            chunk = varying[i : i + batch]
            params = []
            for change in chunk:
                row = dict(base)
                for name, value in change.items():
                    row[name] = by_name[name].get_db_prep_save(value, connection)
                params.extend(row[f.attname] for f in fields)
            cursor.execute(head + ", ".join([one] * len(chunk)), params)


def _build_dossiers(department, period) -> None:
    """Dossier rows as the statistics read them (a fixture, not state changes).

    The seed's "58.463 received" is `received.total` (carried over + new): it equals its
    57.064 resolved plus 1.399 pending. So 1.000 dossiers are carried over from the previous
    quarter (all resolved in this one) and 57.463 are new; 6.687 of the new ones came online.
    """
    prototype = Dossier(
        agency=department,
        procedure=ProcedureFactory(),
        channel=Channel.DIRECT,
        state=DossierState.RESOLVED,
        outcome=Outcome.RESOLVED,
    )
    carried = 1_000
    new = SEED["received"] - carried
    resolved_new = SEED["resolved"] - carried
    days = (period.end - period.start).days
    rows = [
        {
            "received_at": _at(period.start - dt.timedelta(days=10)),
            "due_at": _at(period.start + dt.timedelta(days=10), 17),
            "closed_at": _at(period.start + dt.timedelta(days=i % 10), 15),
        }
        for i in range(carried)
    ]
    for i in range(new):
        received = period.start + dt.timedelta(days=i % (days - 5))
        row = {
            "received_at": _at(received),
            "due_at": _at(received + dt.timedelta(days=14), 17),
            "closed_at": _at(received + dt.timedelta(days=3), 15),
        }
        if i < SEED["online"]:
            row["channel"] = Channel.ONLINE
        if i >= resolved_new:
            row.update(state=DossierState.IN_PROCESS, outcome="", closed_at=None)
        rows.append(row)
    _insert_dossiers(prototype, rows)
    assert Dossier.objects.count() == SEED["received"]


def test_seed_004_figures_are_rebuilt_and_stated_in_the_report(province, department, actor):
    period = parse_period("2020-Q2")
    _build_control_activity(province, department, actor, period)
    _build_dossiers(department, period)

    report = build_control_report(unit=province, period=period)

    assert report["decisions_issued"] == SEED["decisions_issued"]
    assert report["procedures_published"]["total"] == SEED["procedures_published"]
    assert sum(report["procedures_published"]["by_level"].values()) == SEED["procedures_published"]
    assert report["procedures_published"]["by_action"]["abolish"] == 17
    assert report["internal_process_decisions"] == SEED["internal_process_decisions"]
    assert report["internal_processes_approved"] == SEED["internal_processes_approved"]
    assert report["posted_national_db"] == SEED["posted_national_db"]
    assert report["drafts_commented"] == SEED["drafts_commented"]
    assert report["dossiers"] == {
        "received": SEED["received"],
        "received_new": SEED["received"] - 1_000,
        "carried_over": 1_000,
        "resolved": SEED["resolved"],
        "refused": 0,
        "withdrawn": 0,
        "stopped": 0,
        "pending": SEED["pending"],
        "online": SEED["online"],
    }
    json.dumps(report)  # JSON-able as it is

    text = docx_text(render_control_report(report, place="Bắc Kạn"))
    assert "Kết quả thực hiện kiểm soát thủ tục hành chính quý II năm 2020" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nơi nhận:" in text
    for sentence in SEED_TEXT:
        assert sentence in text, sentence


def test_a_report_for_a_past_quarter_counts_the_catalogue_as_it_was(province, actor):
    q1, q2 = parse_period("2020-Q1"), parse_period("2020-Q2")
    abolished, amended = ProcedureFactory(level="commune"), ProcedureFactory(level="district")
    decision = decision_create(
        actor=actor,
        number="700/QĐ-UBND",
        issued_on=q2.start,
        effective_from=q2.start + dt.timedelta(days=7),
        agency=province,
    )
    decision_item_add(
        actor=actor,
        decision=decision,
        action=ItemAction.ABOLISH,
        level="commune",
        procedure=abolished,
    )
    decision_item_add(
        actor=actor,
        decision=decision,
        action=ItemAction.AMEND,
        level="province",
        procedure=amended,
    )
    decisions_apply_due(actor=actor, today=q2.end)
    review_create(
        actor=actor,
        procedure=amended,
        agency=province,
        reviewed_on=q2.start,
        simplification_proposed=True,
        plan="Giảm thời gian giải quyết từ 10 xuống 7 ngày",
    )

    past = build_control_report(unit=province, period=q1)
    now = build_control_report(unit=province, period=q2)

    assert past["procedures_in_force"]["total"] == 2
    assert past["procedures_in_force"]["by_level"] == {
        **dict.fromkeys(ProcedureLevel.values, 0),
        "commune": 1,
        "district": 1,
    }
    assert now["procedures_in_force"]["total"] == 1
    assert now["procedures_in_force"]["by_level"]["province"] == 1
    assert (past["decisions_issued"], now["decisions_issued"]) == (0, 1)
    assert (past["reviews_done"], now["reviews_done"], now["simplification_plans"]) == (0, 1, 1)


def test_control_report_command_writes_json_and_docx(province, actor, tmp_path, capsys):
    call_command("control_report", "--unit", province.code, "--period", "2020-Q2")
    data = json.loads(capsys.readouterr().out)
    assert data["unit"]["code"] == province.code
    assert data["period"]["label"] == "2020-Q2"
    out = tmp_path / "report.docx"
    call_command(
        "control_report",
        "--unit",
        province.code,
        "--period",
        "2020-Q2",
        "--format",
        "docx",
        "--output",
        str(out),
    )
    assert "BÁO CÁO" in docx_text(out.read_bytes())


def test_control_report_command_rejects_bad_input(province):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no agency with code 'nope'"):
        call_command("control_report", "--unit", "nope", "--period", "2020-Q2")
    with pytest.raises(CommandError, match="Unknown period"):
        call_command("control_report", "--unit", province.code, "--period", "2020-Q5")


def test_the_control_report_explains_every_received_dossier(province, department):
    from tests.stats.helpers import Spec, at, build, procedure

    period = parse_period("2020-Q2")
    p = procedure(code="9.000777")
    outcomes = ["resolved"] * 4 + ["refused"] * 3 + ["withdrawn"] * 2 + ["stopped"] + [""] * 5
    build(
        Spec(
            department,
            p,
            period.start_instant - dt.timedelta(days=5) if i == 0 else at(2020, 4, 1 + i, 9),
            at(2020, 6, 25, 17),
            outcome,
            at(2020, 5, 2, 9) if outcome else None,
        )
        for i, outcome in enumerate(outcomes)
    )
    report = build_control_report(unit=province, period=period)
    d = report["dossiers"]
    assert (d["refused"], d["withdrawn"], d["stopped"], d["pending"]) == (3, 2, 1, 5)
    assert (
        d["received"] == d["resolved"] + d["refused"] + d["withdrawn"] + d["stopped"] + d["pending"]
    )
    assert d["received"] == d["carried_over"] + d["received_new"]
    text = docx_text(render_control_report(report))
    assert (
        "trong đó có 04 hồ sơ đã giải quyết, 05 hồ sơ đang giải quyết, 03 hồ sơ trả lại do không đủ "
        "điều kiện giải quyết, 02 hồ sơ rút theo đề nghị của tổ chức, cá nhân, 01 hồ sơ dừng giải "
        "quyết."
    ) in text
    assert "gồm 01 hồ sơ kỳ trước chuyển sang và 14 hồ sơ tiếp nhận mới" in text
    # the province's report: its own header, symbol, recipients and signer
    assert "ỦY BAN NHÂN DÂN" in text and "Số:      /BC-UBND" in text
    assert "Văn phòng Chính phủ (Cục Kiểm soát TTHC)" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text
