"""The officials' catalogue pages: login, filters, htmx fragment, detail, tree, query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.catalog.choices import OnlineClass, Role
from motcua.catalog.models import InternalProcess, ProcessStep, RequiredDocument
from tests.catalog.factories import (
    AgencyFactory,
    AgencyLevelFactory,
    FieldFactory,
    ProcedureAssignmentFactory,
    ProcedureFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(client, django_user_model):
    user = django_user_model.objects.create_user("canbo", password="pw")
    client.force_login(user)
    return user


@pytest.fixture
def tree():
    province = AgencyFactory(
        code="000.00.00.H23", name="UBND tỉnh", level=AgencyLevelFactory(code="province")
    )
    trade = AgencyFactory(code="000.00.02.H23", name="Sở Công Thương", parent=province)
    finance = AgencyFactory(code="H44.01", name="Sở Tài chính", parent=province)
    office = AgencyFactory(
        code="H44.01.01",
        name="Phòng Kế hoạch",
        parent=finance,
        level=AgencyLevelFactory(code="department"),
    )
    return {"province": province, "trade": trade, "finance": finance, "office": office}


def _make_procedures(count: int, agency, field=None) -> None:
    for _ in range(count):
        ProcedureAssignmentFactory(
            agency=agency,
            procedure=ProcedureFactory(field=field or FieldFactory(name="Thương mại")),
        )


def test_pages_require_login(client, tree):
    _make_procedures(1, tree["trade"])
    code = tree["trade"].procedures.get().code
    for url in (
        reverse("catalog:procedure_list"),
        reverse("catalog:procedure_detail", args=[code]),
        reverse("catalog:agency_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response.url


def test_list_shows_procedures_and_filters_them(client, official, tree):
    licence = ProcedureFactory(name="Cấp Giấy phép bán lẻ rượu", online_class=OnlineClass.FULL)
    ProcedureAssignmentFactory(procedure=licence, agency=tree["trade"])
    notice = ProcedureFactory(name="Thông báo khuyến mại", one_way=True, processing_time=None)
    ProcedureAssignmentFactory(procedure=notice, agency=tree["finance"])
    url = reverse("catalog:procedure_list")

    page = client.get(url).content.decode()
    assert licence.code in page and notice.code in page
    assert 'id="procedure-table"' in page

    def codes(query: dict) -> set[str]:
        content = client.get(url, query).content.decode()
        return {p.code for p in (licence, notice) if p.code in content}

    assert codes({"q": "rượu"}) == {licence.code}
    assert codes({"q": notice.code}) == {notice.code}
    assert codes({"agency": tree["trade"].pk}) == {licence.code}
    assert codes({"online_class": "full"}) == {licence.code}
    assert codes({"one_way": "true"}) == {notice.code}
    assert codes({"field": notice.field.pk}) == {notice.code}
    assert codes({"level": "commune"}) == set()


def test_htmx_request_gets_only_the_table(client, official, tree):
    _make_procedures(2, tree["trade"])
    response = client.get(reverse("catalog:procedure_list"), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<table" in content
    assert "<html" not in content and "<form" not in content
    assert 'hx-boost="false"' in content  # the detail link loads a full page, not a fragment
    assert response.context["table"].paginator.count == 2


def test_list_is_paginated_by_fifty(client, official, tree):
    _make_procedures(51, tree["trade"])
    first = client.get(reverse("catalog:procedure_list"))
    assert len(first.context["table"].page.object_list) == 50
    second = client.get(reverse("catalog:procedure_list"), {"page": 2})
    assert len(second.context["table"].page.object_list) == 1


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["catalog:procedure_list", "catalog:agency_list"])
def test_query_count_does_not_grow_with_rows(client, official, tree, name):
    field = FieldFactory(name="Thương mại")
    _make_procedures(2, tree["trade"], field)
    few = _queries(client, reverse(name))
    _make_procedures(20, tree["finance"], field)
    for _ in range(5):
        AgencyFactory(parent=tree["province"])
    assert _queries(client, reverse(name)) == few


def test_procedure_list_query_count_is_pinned(client, official, tree, django_assert_num_queries):
    _make_procedures(10, tree["trade"])
    # session, user, count, page of rows, fields and agencies of the filter form
    with django_assert_num_queries(6):
        client.get(reverse("catalog:procedure_list"))


def test_agency_list_query_count_is_pinned(client, official, tree, django_assert_num_queries):
    _make_procedures(10, tree["trade"])
    # session, user, the tree with its counts
    with django_assert_num_queries(3):
        client.get(reverse("catalog:agency_list"))


def test_detail_shows_documents_agencies_and_process(client, official, tree):
    procedure = ProcedureFactory(name="Cấp Giấy phép", processing_time=Decimal(15))
    ProcedureAssignmentFactory(procedure=procedure, agency=tree["trade"])
    ProcedureAssignmentFactory(
        procedure=procedure,
        agency=tree["finance"],
        processing_time=Decimal(7),
        online_class="partial",
    )
    RequiredDocument.objects.create(
        procedure=procedure, name="Đơn đề nghị cấp phép", originals=1, copies=2
    )
    process = InternalProcess.objects.create(
        procedure=procedure, agency=tree["trade"], decision="QĐ 12/2024"
    )
    ProcessStep.objects.create(
        process=process,
        position=1,
        name="Thẩm định hồ sơ",
        role=Role.SPECIALIST,
        share_percent=Decimal(60),
    )
    response = client.get(reverse("catalog:procedure_detail", args=[procedure.code]))
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Đơn đề nghị cấp phép",
        "Sở Công Thương",
        "Sở Tài chính",
        "Thẩm định hồ sơ",
        "QĐ 12/2024",
        "60%",
    ):
        assert text in content
    assert response.context["procedure"].assignments.all()[1].effective_processing_time == Decimal(
        7
    )


def test_detail_of_unknown_code_is_404(client, official):
    assert client.get(reverse("catalog:procedure_detail", args=["9.999999"])).status_code == 404


def test_agency_tree_is_in_order_with_depth_and_counts(client, official, tree):
    _make_procedures(3, tree["office"])
    response = client.get(reverse("catalog:agency_list"))
    nodes = response.context["nodes"]
    assert [n.agency.code for n in nodes] == [
        "000.00.00.H23",
        "000.00.02.H23",
        "H44.01",
        "H44.01.01",
    ]
    assert [n.depth for n in nodes] == [0, 1, 1, 2]
    assert nodes[-1].procedure_count == 3
    assert "Phòng Kế hoạch" in response.content.decode()
