"""The control pages in Vietnamese formats: grouped numbers (356.500.000), dd/mm/yyyy periods,
and the period pickers showing the period displayed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from motcua.accounts.models import Membership
from motcua.catalog.choices import Role
from motcua.control.models import DecisionItem, ProcedureReview
from motcua.core.localtime import LOCAL_TZ
from tests.catalog.factories import ProcedureFactory
from tests.control.factories import PublicationDecisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitor(django_user_model, province):
    user = django_user_model.objects.create_user(username="giamsat", password="x")
    Membership.objects.create(user=user, agency=province, role=Role.MONITOR)
    return user


def selected(page: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return chosen.group(1) if chosen else None


def test_decision_attributes_are_labelled_and_grouped(client, monitor, province):
    decision = PublicationDecisionFactory(agency=province, issued_on=dt.date(2026, 10, 5))
    procedure = ProcedureFactory()
    DecisionItem.objects.create(
        decision=decision,
        action="amend",
        level="province",
        procedure=procedure,
        code=procedure.code,
        attributes={"fee": "356500000 đồng/hồ sơ", "processing_time": "15.5", "one_way": False},
    )
    client.force_login(monitor)
    page = client.get(reverse("control:decision", args=[decision.pk])).content.decode()
    assert "356.500.000 đồng/hồ sơ" in page and "356500000" not in page
    assert "15,5" in page and "processing_time=" not in page and "fee=" not in page
    assert "05/10/2026" in page


def test_review_cost_saving_is_grouped(client, monitor, province):
    ProcedureReview.objects.create(
        agency=province,
        procedure=ProcedureFactory(),
        reviewed_on=dt.date(2026, 10, 5),
        simplification_proposed=True,
        plan="Bỏ bản sao",
        cost_saving=Decimal("356500000"),
    )
    client.force_login(monitor)
    page = client.get(reverse("control:review_list")).content.decode()
    assert "356.500.000" in page and "356500000" not in page


@time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=LOCAL_TZ), tick=False)
def test_report_period_in_dd_mm_yyyy_and_the_quarter_shown_is_the_one_selected(
    client, monitor, province
):
    client.force_login(monitor)
    url = reverse("control:report")
    page = client.get(url, {"unit": province.code}).content.decode()
    assert "quý IV năm 2026" in page
    assert selected(page, "kind") == "quarter" and selected(page, "quarter") == "4"
    assert re.search(r"\(\d\d/\d\d/2026 – \d\d/\d\d/2026\)", page)
    assert not re.search(r"\(2026-\d\d-\d\d", page)
    # a link's period code sets the pickers, and a changed picker is not overridden by it
    page = client.get(url, {"unit": province.code, "period": "2025-Q2"}).content.decode()
    assert "quý II năm 2025" in page
    assert (selected(page, "quarter"), selected(page, "kind")) == ("2", "quarter")
    assert 'name="year" value="2025"' in page
    assert 'name="period" value="2025-Q2"' not in page
    page = client.get(
        url, {"unit": province.code, "kind": "quarter", "year": "2025", "quarter": "3"}
    ).content.decode()
    assert "quý III năm 2025" in page and selected(page, "quarter") == "3"
