"""TTHC-control data of the demo province, recorded through the control services.

Over the two years before `now`: publication decisions of the provincial People's Committee
(amending, newly publishing and abolishing demo procedures, written into the catalogue by
`decision_apply`, so that the catalogue has its history; the last one takes effect next month
and is not applied yet), decisions approving internal processes, procedure reviews (some
proposing a simplification that a later decision enacts), draft legal texts commented on, and
the postings of the procedures on the national database and at the Center.

Procedures that the live dossiers use (`live.LIVE_CODES`) are left alone: their processing
times and internal processes stay as the live dossiers expect them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from motcua.catalog.models import Agency, Procedure
from motcua.control.choices import DecisionKind, PostingChannel, ReviewKind
from motcua.control.models import PublicationDecision
from motcua.control.services import (
    decision_apply,
    decision_create,
    decision_item_add,
    draft_create,
    posting_create,
    process_approve,
    review_create,
)
from motcua.control.services.oversight import StepSpec
from motcua.core.localtime import LOCAL_TZ
from motcua.demo import agencies_data as A
from motcua.demo.catalog_data import PROCEDURES
from motcua.demo.control_data import (
    ABOLISH,
    AMEND,
    DECISIONS,
    DRAFTS,
    KEEP_CONCLUSIONS,
    PROCESS_DECISIONS,
    PUBLISH,
    SIGNERS,
    STEP_ROLES,
    STEP_SHARES,
    STEPS,
    UNIT_WORDS,
    Item,
)
from motcua.worktime.selectors import calendar_for_agency

TZ = LOCAL_TZ  # the deployment's zone (core.localtime), not a fixed offset of our own
SPAN_DAYS = 730
# The catalogue the demo starts from was published by this decision (see build_catalog).
BASE_DECISION_DAY = dt.date(2024, 1, 15)


@dataclass
class _Context:
    actor: Any
    rng: random.Random
    today: dt.date
    first_day: dt.date
    province: Agency
    center: Agency
    agencies: dict[str, Agency]
    procedures: dict[str, Procedure]
    numbers: set[str]


def build_control_demo(*, rng: random.Random, now: dt.datetime, actor: Any) -> dict[str, int]:
    """Record the demo's TTHC-control data; return how many of each kind were made."""
    today = now.astimezone(TZ).date()
    agencies = {key: Agency.objects.get(code=code) for key, code, *_ in A.PROVINCIAL_AGENCIES}
    ctx = _Context(
        actor=actor,
        rng=rng,
        today=today,
        first_day=today - dt.timedelta(days=SPAN_DAYS),
        province=Agency.objects.get(code=A.PROVINCE_CODE),
        center=Agency.objects.get(code=A.CENTER_CODE),
        agencies=agencies,
        procedures={p.code: p for p in Procedure.objects.filter(code__in=_codes())},
        numbers=set(),
    )
    decisions = _publication_decisions(ctx)
    processes = _process_decisions(ctx, decisions)
    applied = sorted(
        (planned for planned in decisions if planned[0].effective_from <= today),
        key=lambda planned: planned[0].effective_from,
    )
    # In the demo's story each decision was applied on the morning it took effect.
    for decision in [d for d, _items in applied] + processes:
        at = dt.datetime.combine(decision.effective_from, dt.time(8, ctx.rng.randint(0, 50)), TZ)
        decision_apply(decision=decision, actor=actor, today=today, at=at)
    reviews = _reviews(ctx, decisions)
    drafts = _drafts(ctx)
    postings = _postings(ctx, applied)
    return {
        "decisions": len(decisions),
        "process_decisions": len(processes),
        "applied": len(applied) + len(processes),
        "reviews": reviews,
        "drafts": drafts,
        "postings": postings,
    }


def _codes() -> set[str]:
    return {p.code for p in PROCEDURES}


def _working_day(ctx: _Context, day: dt.date) -> dt.date:
    """`day`, or the working day before it."""
    calendar = calendar_for_agency(agency_id=None)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _number(ctx: _Context, issued_on: dt.date) -> str:
    """A number as the province's register would give it that day: about 6 decisions a day."""
    base = issued_on.timetuple().tm_yday * 6 + ctx.rng.randint(1, 5)
    while f"{base}/QĐ-UBND" in ctx.numbers:
        base += 1
    number = f"{base}/QĐ-UBND"
    ctx.numbers.add(number)
    return number


def _commune_reform_day(ctx: _Context) -> dt.date | None:
    """The day the communes of the reform took office, if inside the demo's period."""
    since = (
        Agency.objects.filter(code__in=[c for c, _ in A.COMMUNES], active_from__isnull=False)
        .values_list("active_from", flat=True)
        .first()
    )
    if since and ctx.first_day + dt.timedelta(days=30) < since < ctx.today - dt.timedelta(days=60):
        return since
    return None


Planned = tuple[PublicationDecision, list[Item]]


def _publication_decisions(ctx: _Context) -> list[Planned]:
    decisions = []
    reform = _commune_reform_day(ctx)
    for days_ago, agency_key, fields, items in DECISIONS:
        if items[0][0] == PUBLISH and reform is not None:
            issued = _working_day(ctx, reform - dt.timedelta(days=12))
            effective = reform
        else:
            issued = _working_day(
                ctx, ctx.today - dt.timedelta(days=days_ago + ctx.rng.randint(0, 6))
            )
            effective = issued + dt.timedelta(days=ctx.rng.randint(2, 7))
        if days_ago < 30:  # the last one: in force from the first day of next month
            effective = (ctx.today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        owner = (
            "Ủy ban nhân dân cấp xã" if agency_key == "commune" else ctx.agencies[agency_key].name
        )
        decision = decision_create(
            actor=ctx.actor,
            number=_number(ctx, issued),
            issued_on=issued,
            effective_from=effective,
            agency=ctx.province,
            signer=ctx.rng.choice(SIGNERS),
            note=(
                f"Công bố Danh mục thủ tục hành chính lĩnh vực {fields} thuộc phạm vi chức năng "
                f"quản lý của {owner} ({len(items)} thủ tục)."
            ),
        )
        for action, code, attributes in items:
            procedure = ctx.procedures[code]
            decision_item_add(
                actor=ctx.actor,
                decision=decision,
                action=action,
                level=procedure.level,
                procedure=procedure,
                attributes=attributes,
            )
        decisions.append((decision, items))
    return decisions


def _process_decisions(ctx: _Context, decisions: list[Planned]) -> list[PublicationDecision]:
    made = []
    for index, codes in PROCESS_DECISIONS:
        after = decisions[index][0].effective_from
        issued = _working_day(ctx, after + dt.timedelta(days=ctx.rng.randint(10, 25)))
        issued = min(issued, ctx.today)
        effective = min(issued + dt.timedelta(days=ctx.rng.randint(0, 5)), ctx.today)
        decision = decision_create(
            actor=ctx.actor,
            number=_number(ctx, issued),
            issued_on=issued,
            effective_from=effective,
            agency=ctx.province,
            kind=DecisionKind.INTERNAL_PROCESSES,
            signer=ctx.rng.choice(SIGNERS),
            note=(
                "Phê duyệt quy trình nội bộ giải quyết thủ tục hành chính theo Quyết định "
                f"số {decisions[index][0].number}."
            ),
        )
        for code in codes:
            shares = ctx.rng.choice(STEP_SHARES)
            process_approve(
                actor=ctx.actor,
                decision=decision,
                procedure=ctx.procedures[code],
                steps=[
                    StepSpec(name=name, role=role, share_percent=Decimal(share))
                    for name, role, share in zip(STEPS, STEP_ROLES, shares, strict=True)
                ],
            )
        made.append(decision)
    return made


def _handling_agency(ctx: _Context, code: str) -> Agency:
    key = next(p.agency for p in PROCEDURES if p.code == code)
    return ctx.province if key == "commune" else ctx.agencies[key]


def _plan_text(procedure: Procedure, attributes: dict[str, Any]) -> str:
    parts = []
    unit = UNIT_WORDS.get(procedure.time_unit, "ngày")
    if "processing_time" in attributes and procedure.processing_time is not None:
        parts.append(
            f"Rút ngắn thời hạn giải quyết từ {procedure.processing_time.normalize():f} {unit} xuống "
            f"{attributes['processing_time']} {unit}"
        )
    if attributes.get("online_class") == "full":
        parts.append("cung cấp dịch vụ công trực tuyến toàn trình")
    if "fee" in attributes:
        parts.append(f"giảm mức lệ phí từ {procedure.fee} xuống {attributes['fee']}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _reviews(ctx: _Context, decisions: list[Planned]) -> int:
    """A review proposing each decision's first amendment, then reviews keeping procedures."""
    made = 0
    reviewed = set()
    for decision, items in decisions:
        action, code, attributes = items[0]
        if action != AMEND:
            continue
        procedure = Procedure.objects.get(code=code)  # as it stood before (see below)
        before = _before(procedure, decision)
        day = max(
            decision.issued_on - dt.timedelta(days=ctx.rng.randint(45, 120)),
            ctx.first_day + dt.timedelta(days=ctx.rng.randint(1, 10)),
        )
        review_create(
            actor=ctx.actor,
            procedure=procedure,
            agency=_handling_agency(ctx, code),
            reviewed_on=_working_day(ctx, day),
            kind=ReviewKind.REVIEW if ctx.rng.random() < 0.7 else ReviewKind.EVALUATION,
            conclusion="Thủ tục còn có thể đơn giản hóa; đề nghị sửa đổi theo phương án dưới đây.",
            simplification_proposed=True,
            plan=_plan_text(before, attributes),
            cost_saving=Decimal(
                ctx.rng.randint(24, 380) * 1_000_000 + ctx.rng.choice((0, 250_000, 500_000))
            ),
        )
        reviewed.add(code)
        made += 1
    # Reviews concluding "keep as is": of procedures no decision touches (no contradiction).
    touched = {code for _decision, items in decisions for _action, code, _attrs in items}
    others = sorted(_codes() - reviewed - touched)
    for code in ctx.rng.sample(others, 20 - made):
        review_create(
            actor=ctx.actor,
            procedure=ctx.procedures[code],
            agency=_handling_agency(ctx, code),
            reviewed_on=_working_day(
                ctx, ctx.today - dt.timedelta(days=ctx.rng.randint(5, SPAN_DAYS - 10))
            ),
            kind=ReviewKind.REVIEW if ctx.rng.random() < 0.75 else ReviewKind.EVALUATION,
            conclusion=ctx.rng.choice(KEEP_CONCLUSIONS),
        )
        made += 1
    return made


def _before(procedure: Procedure, decision: PublicationDecision) -> Procedure:
    """The procedure with the attributes it had before `decision` (from its revisions)."""
    revision = (
        procedure.revisions.filter(valid_to=decision.effective_from)
        .exclude(decision=decision)
        .first()
    )
    if revision is None:
        return procedure
    copy = Procedure(code=procedure.code, time_unit=procedure.time_unit)
    time = revision.attributes.get("processing_time")
    copy.processing_time = None if time is None else Decimal(time)
    copy.fee = revision.attributes.get("fee", procedure.fee)
    return copy


def _drafts(ctx: _Context) -> int:
    for days_ago, agency_key, title, count, comment in DRAFTS:
        received = _working_day(ctx, ctx.today - dt.timedelta(days=days_ago))
        draft_create(
            actor=ctx.actor,
            title=title,
            drafting_agency=ctx.agencies[agency_key],
            agency=ctx.province,
            received_on=received,
            commented_on=min(
                _working_day(ctx, received + dt.timedelta(days=ctx.rng.randint(5, 12))), ctx.today
            ),
            procedures_count=count,
            comment=comment,
        )
    return len(DRAFTS)


def _postings(ctx: _Context, applied: list[Planned]) -> int:
    """Each procedure posted when the base catalogue was published, then again after every
    decision touching it (the earlier posting removed then); abolished ones taken down."""
    # code -> [(posted on national db, at the Center, decision or None, abolished)]
    events: dict[str, list[tuple[dt.date, dt.date, PublicationDecision | None, bool]]] = {}
    for code in sorted(_codes()):
        national = BASE_DECISION_DAY + dt.timedelta(days=ctx.rng.randint(2, 9))
        events[code] = [
            (national, national + dt.timedelta(days=ctx.rng.randint(0, 5)), None, False)
        ]
    for decision, items in applied:
        national = min(decision.issued_on + dt.timedelta(days=ctx.rng.randint(1, 5)), ctx.today)
        for action, code, _attributes in items:
            events[code].append(
                (
                    max(national, decision.effective_from),
                    decision.effective_from,
                    decision,
                    action == ABOLISH,
                )
            )
    made = 0
    for code, history in events.items():
        procedure = ctx.procedures[code]
        skip = {PostingChannel.NATIONAL_DB: ctx.rng.random() < 0.03}
        skip[PostingChannel.CENTER] = ctx.rng.random() < 0.08
        for channel, agency, slot in (
            (PostingChannel.NATIONAL_DB, ctx.province, 0),
            (PostingChannel.CENTER, ctx.center, 1),
        ):
            if skip[channel]:
                continue
            for i, event in enumerate(history):
                if event[3]:
                    continue  # abolished: the previous posting was removed that day
                following = history[i + 1] if i + 1 < len(history) else None
                posting_create(
                    actor=ctx.actor,
                    procedure=procedure,
                    agency=agency,
                    channel=channel,
                    posted_on=event[slot],
                    removed_on=None if following is None else max(following[slot], event[slot]),
                    decision=event[2],
                )
                made += 1
    return made
