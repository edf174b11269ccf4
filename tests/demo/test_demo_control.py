"""The demo's TTHC-control data: decisions written into the catalogue, reviews, drafts, postings."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone

from motcua.catalog.models import InternalProcess, Procedure
from motcua.control.choices import DecisionKind, ItemAction, PostingChannel
from motcua.control.models import (
    DecisionItem,
    DraftLegalText,
    Posting,
    ProcedureReview,
    ProcedureRevision,
    ProcessApproval,
    PublicationDecision,
)
from motcua.demo.agencies_data import PROVINCE_CODE
from motcua.demo.build import build_demo
from motcua.demo.catalog_data import PROCEDURES
from motcua.demo.control import TZ
from motcua.demo.live import LIVE_CODES
from motcua.demo.reset import reset_demo
from motcua.stats.periods import parse_period

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo():
    now = timezone.now()
    build_demo(seed=11, years=1, dossiers=120, live=False, now=now)
    return now.astimezone(TZ).date()


def test_decisions_are_written_into_the_catalogue_except_the_future_one(demo):
    today = demo
    publication = PublicationDecision.objects.filter(kind=DecisionKind.PROCEDURES)
    assert publication.count() >= 10
    assert PublicationDecision.objects.filter(kind=DecisionKind.INTERNAL_PROCESSES).count() >= 3
    assert all(d.number.endswith("/QĐ-UBND") and d.signer for d in publication)
    assert not PublicationDecision.objects.filter(effective_from__lt=F("issued_on")).exists()

    pending = PublicationDecision.objects.filter(applied_at__isnull=True)
    assert pending.count() == 1
    future = pending.get()
    assert future.effective_from > today
    assert not ProcedureRevision.objects.filter(decision=future).exists()
    assert not PublicationDecision.objects.filter(
        applied_at__isnull=False, effective_from__gt=today
    ).exists()

    for decision in PublicationDecision.objects.filter(applied_at__isnull=False):
        assert decision.applied_at.astimezone(TZ).date() == decision.effective_from

    actions = set(DecisionItem.objects.values_list("action", flat=True))
    assert {ItemAction.PUBLISH, ItemAction.AMEND, ItemAction.ABOLISH} <= actions
    # A processing time cut: the revision before the decision has the longer time, and the
    # catalogue shows the new one.
    cut = None
    for item in DecisionItem.objects.filter(
        decision__applied_at__isnull=False, action=ItemAction.AMEND
    ):
        if "processing_time" in item.attributes:
            cut = item
            break
    assert cut is not None
    new = ProcedureRevision.objects.get(procedure=cut.procedure, decision=cut.decision)
    old = ProcedureRevision.objects.get(procedure=cut.procedure, valid_to=new.valid_from)
    assert Decimal(old.attributes["processing_time"]) > Decimal(new.attributes["processing_time"])
    assert Procedure.objects.get(pk=cut.procedure_id).processing_time == Decimal(
        new.attributes["processing_time"]
    )
    abolished = DecisionItem.objects.filter(
        action=ItemAction.ABOLISH, decision__applied_at__isnull=False
    ).values_list("procedure_id", flat=True)
    assert not Procedure.objects.filter(pk__in=abolished, is_active=True).exists()


def test_internal_processes_are_approved_with_full_shares(demo):
    approvals = ProcessApproval.objects.select_related("process")
    assert approvals.exists()
    for approval in approvals:
        process: InternalProcess = approval.process
        assert process.version >= 2
        assert process.effective_from == approval.decision.effective_from
        shares = process.steps.aggregate(total=Sum("share_percent"))["total"]
        assert shares == Decimal(100)
        assert list(process.steps.order_by("position").values_list("role", flat=True)) == [
            "counter_officer",
            "specialist",
            "leader",
            "counter_officer",
        ]


def test_reviews_drafts_and_postings_exist(demo):
    today = demo
    assert ProcedureReview.objects.count() >= 15
    proposals = ProcedureReview.objects.filter(simplification_proposed=True)
    assert proposals.exists()
    assert not proposals.filter(plan="").exists()
    assert not proposals.filter(cost_saving__isnull=True).exists()
    touched = DecisionItem.objects.values_list("procedure_id", flat=True)
    keeping = ProcedureReview.objects.filter(simplification_proposed=False)
    assert not keeping.filter(procedure_id__in=touched).exists()
    drafts = DraftLegalText.objects.all()
    assert drafts.count() >= 3
    assert not drafts.filter(commented_on__isnull=True).exists()
    assert not drafts.filter(commented_on__gt=today).exists()
    for channel in (PostingChannel.NATIONAL_DB, PostingChannel.CENTER):
        posted = Posting.objects.filter(channel=channel).values("procedure").distinct().count()
        assert posted > len(PROCEDURES) * 0.8, channel
    assert Posting.objects.filter(decision__isnull=False).exists()
    assert Posting.objects.filter(removed_on__isnull=False).exists()
    assert not Posting.objects.filter(posted_on__gt=today).exists()


def test_live_procedures_are_left_alone(demo):
    touched = DecisionItem.objects.exclude(action=ItemAction.PUBLISH)
    assert not touched.filter(procedure__code__in=LIVE_CODES).exists()
    assert not ProcessApproval.objects.filter(process__procedure__code__in=LIVE_CODES).exists()


def test_control_report_of_a_demo_quarter_counts_decisions(demo):
    issued = PublicationDecision.objects.filter(kind=DecisionKind.PROCEDURES).order_by("issued_on")
    for decision in issued:
        day = decision.issued_on
        label = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        period = parse_period(label)
        if period.start <= day <= period.end:
            break
    else:
        pytest.fail("no quarter contains a decision")
    expected = issued.filter(issued_on__gte=period.start, issued_on__lte=period.end).count()
    out = io.StringIO()
    call_command(
        "control_report", "--unit", PROVINCE_CODE, "--period", label, "--format", "json", stdout=out
    )
    report = json.loads(out.getvalue())
    assert report["decisions_issued"] == expected > 0
    assert report["procedures_published"]["total"] > 0
    assert report["decisions"]


def test_reset_removes_the_control_records(demo):
    reset_demo()
    for model in (PublicationDecision, DecisionItem, ProcedureRevision, ProcessApproval):
        assert not model.objects.exists(), model
    for model in (ProcedureReview, DraftLegalText, Posting, Procedure):
        assert not model.objects.exists(), model
