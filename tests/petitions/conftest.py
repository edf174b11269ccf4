from __future__ import annotations

import pytest

from motcua.accounts.models import Membership
from motcua.catalog.choices import Role
from tests.catalog.factories import AgencyFactory, ProcedureFactory
from tests.dossiers.factories import UserFactory


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def member(agency, role, **kwargs):
    user = UserFactory(**kwargs)
    user.save()
    Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def world(db):
    """One agency with its officials, another agency with a leader, and a procedure."""
    agency = AgencyFactory(name="Sở Công Thương")
    other = AgencyFactory(name="Sở Tư pháp")
    return {
        "agency": agency,
        "other": other,
        "procedure": ProcedureFactory(name="Cấp giấy phép kinh doanh"),
        "leader": member(agency, Role.LEADER),
        "head": member(agency, Role.DEPARTMENT_HEAD),
        "specialist": member(agency, Role.SPECIALIST),
        "specialist2": member(agency, Role.SPECIALIST),
        "counter": member(agency, Role.COUNTER_OFFICER),
        "monitor": member(agency, Role.MONITOR),
        "control": member(agency, Role.CONTROL_OFFICER),
        "other_leader": member(other, Role.LEADER),
        "other_specialist": member(other, Role.SPECIALIST),
    }
