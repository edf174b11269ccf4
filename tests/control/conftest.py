from __future__ import annotations

import pytest

from motcua.catalog.models import AgencyLevel
from tests.catalog.factories import AgencyFactory


@pytest.fixture
def province(db):
    return AgencyFactory(
        code="000.00.00.H06",
        name="UBND tỉnh Bắc Kạn",
        level=AgencyLevel.objects.get(code="province"),
    )


@pytest.fixture
def department(province):
    return AgencyFactory(
        code="000.00.02.H06",
        name="Sở Kế hoạch và Đầu tư",
        level=AgencyLevel.objects.get(code="provincial_agency"),
        parent=province,
    )


@pytest.fixture
def actor(django_user_model, db):
    return django_user_model.objects.create_user(username="kiemsoat", password="x")
